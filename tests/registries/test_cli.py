"""``toantrinh registry …`` commands (click group ``registry_command``)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from toantrinh.sandbox.cli import registry_command


def test_person_prints_every_registry_record_of_a_test_person():
    result = CliRunner().invoke(registry_command, ["person", "036055000789"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert records["population"]["fields"]["full_name"] == "Hoàng Văn Em"
    assert records["health"]["fields"]["death_notice_number"] == "BT-2026-0004321"
    assert (
        records["social_insurance"]["fields"]["pension_status"] == "Đang hưởng lương hưu hằng tháng"
    )


def test_person_unknown_identity_number_fails_with_a_vietnamese_message():
    result = CliRunner().invoke(registry_command, ["person", "001099999999"])
    assert result.exit_code != 0
    assert "Không có người" in result.output


def test_serve_documents_host_and_port():
    result = CliRunner().invoke(registry_command, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--port" in result.output and "8765" in result.output and "--seed" in result.output
