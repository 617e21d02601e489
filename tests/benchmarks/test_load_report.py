"""The load generator's report per kind of page: where the overall p95 comes from."""

from benchmarks import load


def test_pages_are_grouped_by_kind_and_listed_slowest_first():
    result = load.Result()
    for path, took in (("/beneficiaries/12/", 40.0), ("/beneficiaries/345/", 60.0), ("/", 10.0), ("/", 12.0),
                       ("/beneficiaries/?page=7", 25.0)):
        result.latencies.append(took)
        result.by_page.setdefault(load.DIGITS.sub("N", path), []).append(took)
    lines = load.by_page(result).splitlines()
    assert lines[2:] == ["| /beneficiaries/N/ | 2 | 50.0 | 60.0 |", "| /beneficiaries/?page=N | 1 | 25.0 | 25.0 |",
                         "| / | 2 | 11.0 | 12.0 |"]
