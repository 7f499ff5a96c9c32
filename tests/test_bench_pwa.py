"""bench/pwa.py throttles as bench/README.md says it does, and its options are the documented
ones. How fast the page is, is the script's business: no timing is asserted here."""

import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "bench" / "README.md").read_text()


@pytest.fixture(scope="module")
def pwa():
    # bench/ scripts import their neighbours as top-level modules (bench/ is first on sys.path
    # when a script runs), so the test does the same.
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT / "bench"))
        yield importlib.import_module("pwa")


def test_the_phone_profile_is_the_documented_one_in_cdp_units(pwa):
    phone = pwa.PROFILES["throttled"]
    # Network.emulateNetworkConditions takes bytes per second: 1.6 Mbit/s and 750 kbit/s.
    assert phone.network() == {
        "offline": False,
        "latency": 150,
        "downloadThroughput": 200_000,
        "uploadThroughput": 93_750,
    }
    assert phone.network(offline=True)["offline"] is True
    assert phone.cpu_slowdown == 4
    for text in (
        f"`rate: {phone.cpu_slowdown:g}`",
        f"`latency: {phone.latency_ms:g}`",
        f"`downloadThroughput: {phone.network()['downloadThroughput']:g}`",
        f"`uploadThroughput: {phone.network()['uploadThroughput']:g}`",
    ):
        assert text in README


def test_unthrottled_sets_no_limits_and_offline_still_cuts_the_network(pwa):
    plain = pwa.PROFILES["unthrottled"]
    assert plain.cpu_slowdown == 1
    assert not plain.throttles_network
    assert plain.network(offline=True) == {
        "offline": True,
        "latency": 0,
        "downloadThroughput": -1,
        "uploadThroughput": -1,
    }


def test_aims_are_the_documented_ones(pwa):
    assert pwa.AIM_BYTES == 100 * 1024
    assert pwa.AIM_SECONDS == 1.0
    assert pwa.AIM_CACHED_SECONDS == 0.3
    assert pwa.LOADS["cold"][2] == pwa.AIM_SECONDS
    assert pwa.LOADS["sw"][2] == pwa.LOADS["offline"][2] == pwa.AIM_CACHED_SECONDS
    for text in ("under 100 KB before illustrations", "under 1 s", "under 300 ms"):
        assert text in README


def test_options(pwa):
    defaults = pwa.parse_args([])
    assert (defaults.runs, defaults.profile, defaults.trace, defaults.keep) == (
        5,
        "both",
        None,
        False,
    )
    chosen = pwa.parse_args(["--runs", "1", "--profile", "throttled", "--trace", "traces"])
    assert (chosen.runs, chosen.profile, str(chosen.trace)) == (1, "throttled", "traces")
    with pytest.raises(SystemExit):
        pwa.parse_args(["--profile", "slow"])
    for option in ("--runs", "--profile", "--trace DIR", "--keep", "--lock-wait"):
        assert f"`{option}`" in README
