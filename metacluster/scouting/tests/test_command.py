import pytest
from django.core.management import CommandError, call_command

from metacluster.companies.models import Company

from .conftest import write_csv

pytestmark = pytest.mark.django_db

ROWS = [["Põhja Tarkvara OÜ", "12417834", "EE", "Tallinn", "62011", "12", ""]]


def test_the_command_imports_into_the_users_organisation(tmp_path, advisor, capsys):
    path = write_csv(tmp_path / "r.csv", ROWS + [["Bad", "1", "EE", "", "", "", ""]])
    call_command("import_companies", path, "--source", "register", "--user", advisor.username)
    out = capsys.readouterr().out
    assert "created 1" in out and "line 3: registry_code" in out
    assert Company.objects.get().owner == advisor.organisation
    call_command("import_companies", path, "--source", "register", "--user", advisor.username)
    assert "unchanged 1" in capsys.readouterr().out


def test_all_or_nothing_and_dry_run_write_nothing(tmp_path, advisor):
    path = write_csv(tmp_path / "r.csv", ROWS + [["Bad", "1", "EE", "", "", "", ""]])
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_companies", path, "--source", "r", "--user", advisor.username,
                     "--all-or-nothing")  # fmt: skip
    call_command("import_companies", path, "--source", "r", "--user", advisor.username, "--dry-run")
    assert not Company.objects.exists()


def test_viewers_cannot_import(tmp_path, viewer):
    path = write_csv(tmp_path / "r.csv", ROWS)
    with pytest.raises(CommandError, match="only advisors"):
        call_command("import_companies", path, "--source", "r", "--user", viewer.username)
