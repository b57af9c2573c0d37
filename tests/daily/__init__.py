"""Tests of the daily loop: delivery, the digest and daily flows, deployments, doctor."""
