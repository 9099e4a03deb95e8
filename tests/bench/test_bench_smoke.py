"""`make bench` without servers: the table, the lost-update arithmetic, the wrk report, the
target checks, the seeding and the floor route (only when the bench setting is on); the serving
stack's TCP_NODELAY is tested in tests/config/test_serving_stack.py. The benchmark itself runs
only under `make bench`."""

import importlib

import pytest
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve

from bench import run
from bench.run import Result, format_table, lost_updates, parse_wrk, percentile, target_checks
from cartshare.catalog.models import Product
from config.bench import FLOOR_SKU
from tests.factories import ProductFactory


def result(key, rps, backend="postgresql", **fields):
    return Result(backend, key.replace("_", " "), rps=rps, key=key, **fields)


# --- Lost updates --------------------------------------------------------------------------------


def test_no_update_is_lost_when_the_cart_grew_by_every_acknowledged_addition():
    assert lost_updates(before=50, after=1_050, acknowledged=1_000) == 0


def test_missing_quantity_counts_as_lost_updates():
    assert lost_updates(before=50, after=1_047, acknowledged=1_000) == 3


def test_more_quantity_than_acknowledged_is_a_negative_count():
    assert lost_updates(before=50, after=1_052, acknowledged=1_000) == -2


def test_lost_updates_are_counted_in_requests_when_each_adds_several():
    assert lost_updates(before=10, after=16, acknowledged=4, quantity=2) == 1


# --- Percentiles and wrk's report ----------------------------------------------------------------


def test_percentiles_use_the_nearest_rank_in_any_order():
    values = [float(v) for v in range(100, 0, -1)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) is None


def test_the_wrk_report_line_is_parsed_among_wrk_output():
    output = (
        "Running 5s test @ http://127.0.0.1:1234/_bench/floor\n"
        'BENCH_JSON {"requests": 900, "duration_us": 5000000, "status_errors": 0, '
        '"socket_errors": 0, "timeouts": 0, "p50_us": 8000, "p99_us": 30000}\n'
    )
    assert parse_wrk(output)["requests"] == 900


def test_wrk_output_without_a_report_line_is_an_error():
    with pytest.raises(ValueError, match="BENCH_JSON"):
        parse_wrk("Running 5s test\n")


# --- The table and the targets -------------------------------------------------------------------


def test_the_table_gives_each_row_as_a_ratio_to_its_own_backends_floor():
    rows = [
        result("floor", 1_000.0, p50_ms=2.0, p99_ms=9.5, queries=1),
        result("api_shared_10", 650.0, p50_ms=3.0, p99_ms=12.0, queries=3),
        result("floor", 500.0, backend="sqlite"),
        result("api_shared_10", 250.0, backend="sqlite"),
    ]
    lines = format_table(rows).splitlines()
    assert "x floor" in lines[0]
    assert "0.65x" in lines[3] and "1,000" in lines[2]
    assert "0.50x" in lines[5]
    assert len({len(line) for line in lines}) == 1, "columns are aligned"


def test_ratios_use_the_mean_of_the_first_and_last_floor():
    rows = [result("floor", 900.0), result("api_shared_10", 500.0), result("floor_end", 1_100.0)]
    lines = format_table(rows).splitlines()
    assert "0.50x" in lines[3]
    assert "0.90x" in lines[2] and "1.10x" in lines[4]


def test_scenarios_that_did_not_run_show_their_reason_and_no_numbers():
    rows = [result("floor", 800.0), Result("postgresql", "GET /share/x", note=run.NOT_BUILT)]
    last = format_table(rows).splitlines()[-1]
    assert "n/a (not built)" in last
    assert "x" not in last.split("|")[6]


def test_targets_pass_and_fail_on_the_ratios_of_one_run():
    rows = [
        result("floor", 1_000.0),
        result("api_shared_10", 700.0, p50_ms=2.0),
        result("api_shared_1000", 70.0, p50_ms=30.0),
        result("share_page_10", 300.0),
        result("post_concurrent", 90.0, extra={"lost": 0, "vs_single": 0.45}),
        result("unknown_api", 900.0),
    ]
    checks = "\n".join(target_checks(rows))
    assert "10-item JSON link open >= 0.60x floor: 0.70x PASS" in checks
    assert "1,000-item JSON open <= 8x the 10-item cost: 10.00x per request" in checks
    assert "(p50 15.00x) FAIL" in checks
    assert "HTML preview >= 0.40x floor at 10 items: 0.30x FAIL" in checks
    assert "lost 0, 0.45x PASS" in checks
    assert "unknown token (api) not slower than a hit: 1.29x" in checks
    assert "unknown token (page) not slower than a hit: - of the 10-item hit's req/s n/a" in checks


def test_the_1000_item_preview_is_checked_against_the_100_item_one():
    rows = [result("floor", 1_000.0), result("share_page_100", 60.0)]
    fast = "\n".join(target_checks([*rows, result("share_page_1000", 20.0)]))
    assert "HTML preview at 1,000 items <= 6x the 100-item cost: 3.00x per request PASS" in fast
    slow = "\n".join(target_checks([*rows, result("share_page_1000", 5.0)]))
    assert "HTML preview at 1,000 items <= 6x the 100-item cost: 12.00x per request FAIL" in slow


def test_the_cart_page_and_api_cart_targets_are_checked_against_the_floor():
    rows = [
        result("floor", 1_000.0),
        result("cart_page_10", 130.0),
        result("cart_page_100", 40.0),
        result("cart_page_1000", 5.0),
        result("api_cart_1000", 99.0),
    ]
    checks = "\n".join(target_checks(rows))
    assert "owner's cart page >= 0.12x floor at 10 items: 0.13x PASS" in checks
    assert "owner's cart page >= 0.05x floor at 100 items: 0.04x FAIL" in checks
    assert "cart page at 1,000 items <= 6x the 100-item cost: 8.00x per request FAIL" in checks
    assert "GET /api/v1/carts/{id} >= 0.10x floor at 1,000 items: 0.10x FAIL" in checks


def test_cart_targets_not_measured_are_not_applicable():
    checks = [line for line in target_checks([result("floor", 1_000.0)]) if "cart" in line]
    assert len(checks) == 4
    assert all(line.endswith("n/a") for line in checks)


def test_a_lost_update_fails_the_concurrency_target_whatever_the_throughput():
    rows = [result("post_concurrent", 90.0, extra={"lost": 1, "vs_single": 0.9})]
    assert any("lost 1, 0.90x FAIL" in line for line in target_checks(rows))


# --- Seeding -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seeding_builds_carts_of_10_100_and_1000_items_shared_with_a_full_access_colleague():
    from bench import seed as bench_seed
    from cartshare.carts.models import Cart
    from cartshare.sharing.models import CartShare, SharePermission

    data = bench_seed.seed()

    for size in (10, 100, 1_000):
        cart = Cart.objects.get(pk=data["carts"][str(size)])
        assert cart.items.count() == size
        assert CartShare.objects.get(cart=cart).permission == SharePermission.FULL_ACCESS
    edit_cart = Cart.objects.get(pk=data["edit_cart"])
    assert edit_cart.shares.filter(permission=SharePermission.FULL_ACCESS).count() == 9
    assert len(data["writers"]) == 8
    assert Product.objects.filter(sku=FLOOR_SKU).exists()
    assert data["built"]["cart_page"]
    if data["built"]["links"]:
        assert sorted(data["tokens"]) == ["10", "100", "1000"]
    else:
        assert data["tokens"] == {}
        assert "not built" in data["links_note"]


@pytest.mark.django_db
def test_the_owners_session_opens_the_owners_cart_page_and_its_queries_are_counted():
    from bench import seed as bench_seed

    data = bench_seed.seed()
    session = bench_seed.owner_session()

    counts = bench_seed.query_counts({}, data["built"], data["carts"], session)
    for size in ("10", "100", "1000"):
        assert counts[f"cart_page_{size}"]["status"] == 200
        assert counts[f"cart_page_{size}"]["queries"] == counts["cart_page_10"]["queries"]
    anonymous = bench_seed.query_counts({}, data["built"], data["carts"], "")
    assert "cart_page_10" not in anonymous


# --- The floor route -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_floor_route_is_not_reachable_when_the_bench_setting_is_off(client, settings):
    assert settings.CARTSHARE_BENCH_ROUTES is False
    assert client.get("/_bench/floor").status_code == 404


def _reload_root_urls():
    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()


def test_the_root_urls_route_the_floor_only_when_the_bench_setting_is_on():
    try:
        with override_settings(CARTSHARE_BENCH_ROUTES=True):
            _reload_root_urls()
            assert resolve("/_bench/floor").url_name == "bench_floor"
        with override_settings(CARTSHARE_BENCH_ROUTES=False):
            _reload_root_urls()
            with pytest.raises(Resolver404):
                resolve("/_bench/floor")
    finally:
        _reload_root_urls()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="config.bench")
def test_the_floor_answers_small_json_with_one_query(client, django_assert_num_queries):
    ProductFactory(sku=FLOOR_SKU, name="Floor product", unit_price=100)
    with django_assert_num_queries(1):
        response = client.get("/_bench/floor")
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "product": {"sku": FLOOR_SKU, "name": "Floor product", "unit_price": 100},
    }
