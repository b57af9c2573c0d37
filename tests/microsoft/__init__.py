"""Microsoft Graph tests: a loopback fake identity platform and Graph, driven through real msal."""
