"""Backups: a dump of the database restored into a new database holds the same claims, to the cent,
and the same PDF forms, to the byte (scripts/backup.sh; README, "Backups")."""

import hashlib
import os
import subprocess
from datetime import date
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from reimbursements import services
from tests.helpers import requires_postgresql

from .factories import fake_item

ROOT = Path(__file__).resolve().parents[2]

RESTORED = "test_cpas_portal_restored"

CLAIMS = """SELECT c.id, c.measure, c.period_start, c.sequence, c.version, c.status, c.total, c.line_count,
                   (SELECT sum(amount * sign) FROM reimbursements_claimline l WHERE l.claim_id = c.id),
                   (SELECT count(*) FROM reimbursements_claimsignature s WHERE s.claim_id = c.id)
            FROM reimbursements_claim c ORDER BY c.id"""
DOCUMENTS = "SELECT claim_id, sha256, content FROM reimbursements_claimdocument ORDER BY claim_id"
HISTORY = "SELECT count(*) FROM reimbursements_historicalclaim"


def _url(name):
    database = connection.settings_dict
    return f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}/{name}"


def _backup(*arguments):
    result = subprocess.run([str(ROOT / "scripts" / "backup.sh"), *arguments], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False,
                            env={**os.environ, "DATABASE_URL": _url(connection.settings_dict["NAME"])})
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _read(url):
    with psycopg2.connect(url) as database, database.cursor() as cursor:
        cursor.execute(CLAIMS)
        claims = cursor.fetchall()
        cursor.execute(DOCUMENTS)
        documents = [(claim_id, sha256, hashlib.sha256(bytes(content)).hexdigest())
                     for claim_id, sha256, content in cursor.fetchall()]
        cursor.execute(HISTORY)
        history = cursor.fetchone()[0]
    database.close()
    return claims, documents, history


@pytest.fixture
def restored_database(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {RESTORED}")
        cursor.execute(f"CREATE DATABASE {RESTORED}")
    yield _url(RESTORED)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {RESTORED} WITH (FORCE)")


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_a_new_database_has_the_same_claim_totals_and_pdfs(
        bob, cpas_a, director_a, president_a, fake_source, generate, restored_database, tmp_path,
        django_capture_on_commit_callbacks):
    march = generate(bob, cpas_a).claim
    fake_source.items.append(fake_item(9, start=date(2026, 4, 1), end=date(2026, 4, 30), amount="987.65"))
    april = generate(bob, cpas_a, month=4).claim
    services.claim_review(acting_user=bob, claim=march)
    with django_capture_on_commit_callbacks(execute=True):  # signed: the PDF is rendered again
        services.claim_sign(acting_user=director_a, claim=march, capacity="secretary")
        services.claim_sign(acting_user=president_a, claim=march, capacity="president")

    dump = tmp_path / "cpas_portal.dump"
    _backup("dump", str(dump))
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    _backup("restore", str(dump), restored_database)

    original = _read(_url(connection.settings_dict["NAME"]))
    restored = _read(restored_database)
    claims, documents, history = original
    assert [row[0] for row in claims] == [march.pk, april.pk]
    assert [row[9] for row in claims] == [2, 0] and history > 0
    assert [claim_id for claim_id, _sha, _content in documents] == [march.pk, april.pk]
    assert all(stored == computed for _id, stored, computed in documents)
    assert restored == original

    # Restoring over a database that is not empty is refused, not merged.
    refused = subprocess.run([str(ROOT / "scripts" / "backup.sh"), "restore", str(dump), restored_database],
                             capture_output=True, text=True, timeout=60, check=False)
    assert refused.returncode == 1 and "new, empty database" in refused.stderr
