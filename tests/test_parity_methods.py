"""Every domain method of pyWATS 0.x is present on both flavours (issue 24's list).

The behaviour of each is tested in its domain's tests (tests/domains/test_*_parity.py); this
file only keeps the count honest: a method missing from one flavour fails here by name.
"""

from __future__ import annotations

import asyncio

import pytest

from pywats import AsyncWATS, pyWATS

# The methods pyWATS 0.x's domain services have beyond the ones the guides name.
ADDED_FOR_0X = {
    "analytics": """get_version get_processes get_levels get_product_groups get_yield_summary get_station_yield
        get_dynamic_repair get_volume_yield get_worst_yield get_worst_yield_by_product_group get_high_volume
        get_high_volume_by_product_group get_top_failed get_top_failed_internal get_top_failed_by_product
        get_related_repair_history get_test_step_analysis get_test_step_analysis_for_operation get_measurements
        get_oee_analysis get_serial_number_history get_uut_reports get_uur_reports get_flow_links get_flow_nodes
        get_flow_units split_flow_by set_unit_order set_unit_flow_visibility show_operations hide_operations
        expand_operations get_flow_summary get_measurement_list get_measurement_list_by_product
        get_step_status_list get_step_status_list_by_product""",
    "process": """cache_ttl get_process_by_name is_valid_test_operation is_valid_repair_operation
        is_valid_wip_operation process_exists list_process_codes list_process_names get_default_test_operation
        get_default_repair_operation get_default_repair_code get_fail_codes get_processes_detailed
        get_process_detailed get_repair_operation_configs get_repair_operation_config get_repair_categories
        get_repair_codes""",
    "production": """get_phase_by_name get_unit_history delete_unit_change remove_all_children_from_assembly
        find_serial_numbers_in_range find_serial_numbers_by_reference import_serial_numbers export_serial_numbers
        is_connected get_sites get_unit_info get_unit_hierarchy get_unit_state_history get_unit_contents
        create_unit add_child_unit_validated remove_child_unit_localized remove_all_child_units
        validate_child_units find_serial_numbers get_serial_number_count free_serial_numbers
        get_serial_number_ranges get_serial_number_statistics get_batches create_batch update_batch""",
    "software": """submit_for_review return_to_draft release_package revoke_package update_file_attribute
        is_connected get_file check_file create_package_folder update_package_folder delete_package_folder
        delete_package_folder_files get_package_history get_package_download_history get_revoked_packages
        get_available_packages get_software_entity_details log_download""",
    "report": """submit create_uur_from_uut get_all_attachments get_certificate query_headers_with_subunits
        query_headers_by_subunit_part_number query_headers_by_subunit_serial query_headers_by_misc_info""",
    "asset": """get_assets_in_alarm get_assets_in_warning get_assets_by_alarm_state upload_file download_file
        list_files delete_files""",
    "product": """create_group upload_bom get_product_hierarchy add_subunit remove_subunit
        get_box_build_subunits""",
}
CASES = [(domain, name) for domain, names in ADDED_FOR_0X.items() for name in names.split()]


def test_the_list_is_the_issues_121() -> None:
    assert len(CASES) == len(set(CASES)) == 121


@pytest.fixture(scope="module")
def services() -> dict[str, tuple[object, object]]:
    """Each domain's service of both flavours (nothing is sent: services are built on first use)."""
    sync_api = pyWATS(base_url="http://127.0.0.1:9", token="dTpw")
    async_api = AsyncWATS(base_url="http://127.0.0.1:9", token="dTpw")
    found = {d: (getattr(sync_api, d), getattr(async_api, d)) for d in ADDED_FOR_0X}
    sync_api.close()
    asyncio.run(async_api.close())
    return found


@pytest.mark.parametrize(("domain", "name"), CASES, ids=[f"{d}.{n}" for d, n in CASES])
def test_present_on_both_flavours(services: dict[str, tuple[object, object]], domain: str, name: str) -> None:
    sync_service, async_service = services[domain]
    assert name in dir(type(sync_service)), f"api.{domain}.{name} is missing (pyWATS)"
    assert name in dir(type(async_service)), f"api.{domain}.{name} is missing (AsyncWATS)"
