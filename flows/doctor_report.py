"""`kith doctor` on the report by mail (`[report] every`): whether it can go out, and whether the
`kith-report` deployment will run in every period, as one line per problem with its fix.

The schedule is read from the Prefect server that PREFECT_API_URL names (deployed from
prefect.yaml, or served by `kith serve` against that server). Without PREFECT_API_URL there is
no server to ask: `kith serve` then builds the schedule from kith.toml itself.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from kith.models.settings import Settings

DEPLOYMENT = "kith-report/kith-report"
# How many periods ahead the schedule is checked: two weeks of days, eight weeks, a year of months.
PERIODS_AHEAD = {"day": 14, "week": 8, "month": 12}
CANDIDATES = 1000  # the most dates Prefect's schedules return per call


def check_report(settings: Settings) -> list[str]:
    """The report's problems: none when `[report] every` is unset (the report is then never mailed)."""
    every = settings.report.every
    if every is None:
        return []
    return check_report_delivery(settings) + check_report_schedule(settings)


def check_report_delivery(settings: Settings) -> list[str]:
    """The report needs someone to mail it to and a method that mails."""
    from kith.digests.delivery import DeliveryError, digest_recipients

    every = settings.report.every
    problems = []
    try:
        digest_recipients(settings)
    except DeliveryError:
        problems.append(f'report: [report] every is "{every}" but there is nobody to mail it to; '
                        "set digest.to (or [user] addresses) in kith.toml")
    if settings.digest.method == "file":
        problems.append(f'report: [report] every is "{every}" but digest.method is "file", so the report is only '
                        f"written to {settings.home / 'outbox'}, never mailed; set digest.method to smtp, gmail or graph "
                        "(README: The report by mail), or remove [report] every")
    return problems


def check_report_schedule(settings: Settings) -> list[str]:
    """The kith-report deployment on the configured Prefect server exists, is active, has something
    running it, and runs at least once in every period `[report] every` names."""
    url = prefect_api_url()
    if not url:
        return []
    unreachable = api_unreachable(url)
    if unreachable:
        return [f"report: the Prefect server PREFECT_API_URL names is unreachable ({unreachable}), so the kith-report "
                "schedule cannot be checked; start it (`prefect server start`) or fix PREFECT_API_URL"]
    try:
        deployment = read_report_deployment()
    except Exception as exc:  # noqa: BLE001 - doctor reports, never crashes
        return [f"report: the Prefect server did not show the kith-report deployment ({refusal(exc)}); "
                "check PREFECT_API_URL (and PREFECT_API_KEY for Prefect Cloud)"]
    return judge_report_deployment(deployment, settings.report.every, settings.zone, settings.today())


def judge_report_deployment(deployment, every: str, zone: ZoneInfo, today: date) -> list[str]:
    """The problems of `deployment` (the server's kith-report, or None) for a report mailed every `every`."""
    from prefect.client.schemas.objects import DeploymentStatus

    from kith.digests.report_mail import period_words

    if deployment is None:
        return [f'report: [report] every is "{every}" but the Prefect server has no kith-report deployment, so no report '
                "will go out; run `prefect deploy --all` (prefect.yaml) or `kith serve`"]
    active = [s.schedule for s in deployment.schedules if s.active]
    if deployment.paused or not active:
        return ["report: the kith-report deployment is paused or has no active schedule, so no report will go out; "
                "resume it (Prefect UI: Deployments > kith-report, or `prefect deployment schedule resume "
                "kith-report/kith-report <schedule id>`)"]
    served = deployment.work_pool_name is None  # `kith serve` runs it in-process; prefect.yaml on a work pool
    problems = []
    missed = missed_periods(active, every, zone, today)
    if missed:
        fix = ("restart `kith serve` so that it reads kith.toml again" if served else
               "change its schedule in prefect.yaml (the after_the_digest cron) and run `prefect deploy --all` again")
        first = f"{'on' if every == 'day' else 'in'} {period_words(missed[0], every)}"
        problems.append(f'report: [report] every is "{every}" but kith-report runs on {describe(active)}, not once every '
                        f"{every} (none {first}), so some reports would never go out; {fix}")
    if deployment.status == DeploymentStatus.NOT_READY:  # no runner or worker has asked for its runs lately
        where = "`kith serve`" if served else f"a worker (`prefect worker start --pool {deployment.work_pool_name}`)"
        problems.append(f"report: nothing is running the kith-report deployment right now; start {where}")
    return problems


def prefect_api_url() -> str | None:
    """The Prefect API kith's flows would use; None when they start a temporary server."""
    from prefect.settings import get_current_settings

    return get_current_settings().api.url


def api_unreachable(url: str) -> str | None:
    """None when the API's host accepts a connection, else why not (never the URL: it may hold a password)."""
    from kith.flows.doctor import reachable

    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return "not a URL"
    if not parts.hostname:
        return "not a URL"
    return reachable(parts.hostname, port)


def refusal(exc: Exception) -> str:
    """Why the Prefect API said no, without its words: they quote the URL, which may hold a password."""
    response = getattr(exc, "response", None)
    return f"HTTP {response.status_code}" if response is not None else type(exc).__name__


def read_report_deployment():
    """The kith-report deployment as the Prefect server has it, or None when there is none."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            return client.read_deployment_by_name(DEPLOYMENT)
        except ObjectNotFound:
            return None


def missed_periods(schedules: list, every: str, zone: ZoneInfo, today: date) -> list[date]:
    """The first days of the periods (the next PERIODS_AHEAD[every] after today's) in which none of
    `schedules` (Prefect client schedules) fires, days counted on the user's clock."""
    from kith.digests.report_mail import next_period_start, period_start

    starts = [next_period_start(period_start(today, every), every)]
    for _ in range(PERIODS_AHEAD[every]):
        starts.append(next_period_start(starts[-1], every))
    begin, end = (datetime.combine(d, time(0), tzinfo=zone) for d in (starts[0], starts[-1]))
    fired = {period_start(when.astimezone(zone).date(), every)
             for schedule in schedules for when in fire_times(schedule, begin, end)}
    return [start for start in starts[:-1] if start not in fired]


def fire_times(schedule, begin: datetime, end: datetime) -> list[datetime]:
    """When `schedule` fires from `begin` to `end`, computed by Prefect's own schedule code."""
    from prefect.server.schemas import schedules as server

    model = getattr(server, type(schedule).__name__)(**schedule.model_dump())
    found: list[datetime] = []
    while True:
        batch = asyncio.run(model.get_dates(n=CANDIDATES, start=begin, end=end))
        found += batch
        if len(batch) < CANDIDATES:
            return found
        begin = batch[-1] + timedelta(seconds=1)


def describe(schedules: list) -> str:
    """The schedules in a few words: cron "15 7 * * 1" (Europe/Paris), every 1 day, 0:00:00, ..."""
    words = []
    for schedule in schedules:
        if getattr(schedule, "cron", None):
            words.append(f'cron "{schedule.cron}" ({schedule.timezone or "UTC"})')
        elif getattr(schedule, "interval", None):
            words.append(f"an interval of {schedule.interval}")
        else:
            words.append(f'rrule "{schedule.rrule}"')
    return " and ".join(words)
