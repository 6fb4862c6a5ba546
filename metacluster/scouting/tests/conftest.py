import csv

import pytest

from metacluster.scouting.models import ImportJob

HEADER = ["Name", "Registry code", "Country", "Town", "NACE", "Employees", "VAT number"]


def write_csv(path, rows, header=HEADER, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


@pytest.fixture
def make_job(tmp_path, advisor):
    """An import job of `rows` (lists under HEADER) for the advisor's organisation."""

    def make(
        rows, *, header=HEADER, mode="valid_rows", user=None, source="test register", name="f.csv"
    ):
        from metacluster.core.scouting import guess_mapping

        user = user or advisor
        path = write_csv(tmp_path / name, rows, header)
        return ImportJob.objects.create(
            organisation=user.organisation,
            created_by=user,
            source=source,
            file_name=name,
            path=path,
            headers=header,
            columns=guess_mapping(header),
            mode=mode,
        )

    return make
