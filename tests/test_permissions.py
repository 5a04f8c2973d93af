"""The role × action matrix: every service call of every kind is allowed or refused as specified, in the
service layer (not only by hiding buttons).

SPEC names the permission that guards each service function (the first thing it checks); the roles'
permissions are domain.permissions.ROLE_PERMISSIONS. A new service function must be added here — the
test lists any that are missing, so that none goes out without its check.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import fulian_desktop.services as services_pkg
from fulian_desktop.domain import permissions
from fulian_desktop.domain.accounts import Account
from fulian_desktop.domain.filters import CaseFilter
from fulian_desktop.domain.permissions import ROLE_PERMISSIONS, PermissionDenied, allowed
from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.services import accounts, petitions
from fulian_desktop.services.context import Context
from fulian_desktop.store.audit import AuditFilter

from .conftest import CHEAP_KDF, Clock

SPEC: dict[str, str] = {
    # accounts: the administrator's; every account's own password and lock screen
    "accounts.add_account": "accounts.manage", "accounts.disable": "accounts.manage",
    "accounts.enable": "accounts.manage", "accounts.get": "accounts.manage", "accounts.list_accounts": "accounts.manage",
    "accounts.new_recovery_key": "accounts.manage", "accounts.rename": "accounts.manage",
    "accounts.reset_password": "accounts.manage", "accounts.set_roles": "accounts.manage",
    "accounts.change_password": "account.self", "accounts.idle_minutes": "account.self",
    "accounts.lock": "account.self", "accounts.unlock": "account.self", "accounts.set_idle_minutes": "settings.write",
    # the audit trail: the 主任 reads it; its integrity check also for the administrator
    "audit.actors": "audit.read", "audit.case_id_for": "audit.read", "audit.count": "audit.read",
    "audit.export_csv": "audit.read", "audit.history": "audit.read", "audit.opened": "audit.read",
    "audit.checkpoint": "audit.read", "audit.checkpoint_pdf": "audit.read", "audit.anchor": "account.self",
    "audit.anchor_in": "account.self",
    "audit.opened_backup": "backup.restore", "backup.backup_opened": "backup.restore",
    "audit.page": "audit.read", "audit.verify": "audit.verify", "audit.exported": "case.export",
    "audit.printed": "case.print", "audit.searched": "cases.list", "audit.viewed": "cases.list",
    "audit.backed_up": "backup.run", "audit.restored": "backup.restore",
    # backup and restore: the 主任 and the administrator back up; only the administrator restores or sets the
    # backup password; every account's first start of a day makes the local snapshot
    "backup.status": "backup.run", "backup.check_password": "backup.run", "backup.prepare": "backup.run",
    "backup.finish": "backup.run", "backup.failed": "backup.run", "backup.make_backup": "backup.run",
    "backup.set_password": "settings.write", "backup.set_options": "settings.write",
    "backup.restore_job": "backup.restore", "backup.restore_failed": "backup.restore",
    "backup.open_for_restore": "backup.restore", "backup.restore": "backup.restore",
    "backup.local_snapshots": "backup.restore", "backup.daily_snapshot": "account.self",
    "backup.weekly_check": "account.self",
    # lists, search, the start page
    "cases.count": "cases.list", "cases.due_counts": "cases.list", "cases.due_this_week": "cases.list", "cases.find": "cases.list",
    "cases.id_for_number": "cases.list", "cases.intake_on": "cases.list", "cases.kind_of": "cases.list",
    "cases.kind_labels": "cases.list",
    "cases.open_counts": "cases.list", "cases.page": "cases.list", "cases.supervision": "cases.list",
    # 督办: the 主任's
    "cases.supervise": "case.supervise", "cases.lift_supervision": "case.supervise",
    # spreadsheets and statistics
    "exchange.check": "petition.write", "exchange.import_rows": "petition.write", "importing.run": "petition.write",
    "exchange.remembered": "petition.write", "importing.remembered": "petition.write",
    "importing.incomplete": "cases.list", "importing.incomplete_count": "cases.list",
    "exchange.export_case_list": "case.export", "exchange.export_register": "case.export",
    "exchange.export_statistics": "statistics.read", "exchange.statistics_pdf": "statistics.read",
    "statistics.compare": "statistics.read", "statistics.paragraph": "statistics.read",
    "statistics.township_table": "statistics.read", "statistics.own_township": "statistics.read",
    "statistics.township_names": "statistics.read",
    # exchange packages between the townships and the county
    "exchange_packages.office": "settings.read", "exchange_packages.office_is_set": "settings.read",
    "exchange_packages.set_office": "settings.write", "exchange_packages.export_package": "exchange.export",
    "exchange_packages.open_package": "exchange.import", "exchange_packages.preview": "exchange.import",
    "exchange_packages.import_package": "exchange.import", "exchange_packages.read_receipt": "exchange.export",
    "exchange_packages.peers": "exchange.export", "exchange_packages.side_for": "exchange.import",
    # printing
    "printing.print_case": "case.print", "printing.print_document": "case.print",
    "household_printing.print_card": "case.print", "household_printing.print_month": "case.print",
    "household_printing.print_visit": "case.print",
    # households
    **{f"households.{f}": "household.write" for f in (
        "add_measure", "add_note", "add_task", "change_cadre", "complete_task", "correct", "correct_visit", "exit_",
        "lift", "log_visit", "register", "resume", "set_rhythm")},
    **{f"households.{f}": "household.read" for f in (
        "counts", "get", "month_due", "month_plan", "open_tasks", "register_count", "register_page", "visit")},
    "households.care_list": "lists.read", "households.care_lists": "lists.read",
    "households.due_this_month": "cases.list", "households.save_care_list": "lists.write",
    "households.set_care_list_active": "lists.write",
    # the office's lists and settings
    "lists.add": "lists.write", "lists.remove": "lists.write", "lists.values": "lists.read",
    "lists.check_listed": "lists.read",
    "settings.get": "settings.read", "settings.office_name": "settings.read", "settings.put": "settings.write",
    "settings.set_office_name": "settings.write",
    # mediation
    **{f"mediations.{f}": "mediation.write" for f in (
        "add_investigation", "add_note", "add_session", "check_can_transfer", "close", "correct", "correct_agreement",
        "correct_investigation", "correct_session", "correct_visit", "open_from_petition", "open_mediation",
        "record_visit", "schedule_visit", "set_filing")},
    "mediations.get": "mediation.read", "mediations.correction_grounds": "mediation.read",
    "mediations.committee_name": "lists.read", "mediations.file_code": "lists.read",
    "mediations.mediators": "lists.read", "mediations.counts": "statistics.read",
    "mediations.counts_by_month": "statistics.read", "mediations.draft_from_petition": "petition.read",
    "mediations.mediation_of_petition": "petition.read", "mediations.petition_number": "petition.read",
    "mediations.printable": "case.print", "mediations.save_mediator": "lists.write",
    "mediations.set_committee": "lists.write", "mediations.set_mediator_active": "lists.write",
    # the organisation directory
    "organisations.directory": "lists.read", "organisations.get": "lists.read",
    "dv_repeats.people_of": "people.read", "dv_repeats.earlier": "people.read", "dv_repeats.caution": "mediation.read",
    "organisations.referral_count": "lists.read", "organisations.save": "referral.write",
    "organisations.set_active": "referral.write",
    # people on file
    "people.find_matches": "people.read", "people.get": "people.read", "people.history": "people.read",
    # petitions: an extension is an approval for the 主任
    **{f"petitions.{f}": "petition.write" for f in (
        "accept", "add_note", "conclude", "correct", "forward", "rate", "refuse", "register", "set_handling",
        "settle_repeat", "request_review", "answer_review", "record_transfer_answer", "object_transfer")},
    "petitions.get": "petition.read", "petitions.extend": "petition.extend", "petitions.draft_opinion": "petition.read",
    # the documents a case has and issued (notices, opinions), printed as issued
    "case_documents.list_documents": "case.print", "case_documents.print_entry": "case.print",
    "case_documents.print_issued": "case.print",
    # the holiday table: read by every case role, a new year's days added by whoever keeps the office's lists
    "workdays.year_days": "lists.read", "workdays.add_day": "lists.write",
    "workdays.known_years": "lists.read", "workdays.written_year": "lists.read", "workdays.set_year": "lists.write",
    # referrals
    **{f"referrals.{f}": "referral.write" for f in (
        "accept", "add_note", "assign_lawyer", "conclude", "correct", "form_from_petition", "new_form", "record_consent",
        "refer", "refer_from_petition", "refuse", "update_papers", "withdraw")},
    "referrals.get": "referral.read", "referrals.remembered_staff_phone": "referral.read",
    "referrals.can_refer_petition": "petition.read", "referrals.get_for_print": "case.print",
    "referrals.get_with_copies": "case.print", "referrals.copies_count": "cases.list",
    # undoing a status step pressed by mistake: the 主任 only
    "undo.last_step": "case.undo", "undo.undo_last_step": "case.undo",
    "undo.last_protection_step": "case.undo", "undo.undo_protection_step": "case.undo",
    # 家暴防护: the roles that handle cases, on the cases of a kind they may write
    "protection.check_handling": "protection.read", "protection.shows_thread": "protection.read",
    "protection.opened": "protection.read",
    "dv_risk.checklist": "protection.read", "dv_risk.assess": "protection.write", "dv_risk.assessments": "protection.read",
    "dv_risk.assessment": "protection.read", "dv_risk.items_for_admin": "settings.write",
    "dv_risk.save_checklist": "settings.write",
    "safety_plans.current": "protection.read", "safety_plans.versions": "protection.read",
    "safety_plans.save": "protection.write",
    "protection.woman_name": "protection.read", "protection.papers": "case.print",
    "dv_risk.print_assessment": "protection.read", "safety_plans.print_plan": "protection.read",
    "protection.person_picture": "protection.person", "protection.person_of": "protection.person",
    # attachments: first an account that sees cases, then the case kind's read or write right (tests/test_attachments.py)
    **{f"attachments.{f}": "cases.list" for f in (
        "attach", "correct", "remove", "of_case", "versions", "get", "content", "thumbnail", "extract", "printed_ones",
        "papers")},
    "attachments.attach_to_person": "people.identity", "attachments.of_person": "people.identity",
    "attachments.printable": "case.print", "attachments.export_pdf": "attachments.export",
    # signatures on screen: the case kind's read or write right after cases.list (tests/test_signatures.py)
    **{f"signatures.{f}": "cases.list" for f in ("document_text", "signers", "sign", "of_case", "still_current",
                                                   "void")},
    "signatures.marks": "case.print",
    # the start page's clocks and the last backup
    "start_page.clocks": "cases.list", "start_page.last_backup": "settings.read",
    # 家暴防护: 告诫书 and 查访, protection orders, mandatory reports — read and written by the roles that handle the
    # case (and then only on a case of a kind they may write: services/protection.check_handling)
    **{f"police_contacts.{f}": "protection.write" for f in (
        "record", "plan_visit", "move_visit", "drop_visit", "record_visit", "correct_contact", "correct_visit")},
    **{f"protection_orders.{f}": "protection.write" for f in (
        "apply", "situation_proof", "record_filing", "record_ruling", "request_extension", "record_extension",
        "record_violation", "report_violation", "correct_ruling", "correct_violation")},
    "mandatory_reports.mark_required": "protection.write", "mandatory_reports.record_report": "protection.write",
    "mandatory_reports.correct_report": "protection.write",
    "police_contacts.of_case": "protection.read", "protection_orders.of_case": "protection.read",
    "protection_orders.draft": "protection.read", "protection_orders.in_force_for": "protection.read",
    "mandatory_reports.need": "protection.read", "start_page.protection_due": "protection.read",
    "start_page.backup_age_text": "settings.read",
}

# The words, spelled out: what each role may and may not do.
STATED: dict[str, dict[str, bool]] = {
    "window": {"petitions.register": True, "referrals.refer": True, "households.register": True,
               "mediations.get": True, "mediations.add_session": False, "petitions.extend": False,
               "audit.page": False, "accounts.add_account": False, "settings.put": False, "printing.print_case": True,
               "undo.undo_last_step": False, "statistics.compare": False, "exchange.export_statistics": False},
    "mediator": {"mediations.open_mediation": True, "mediations.add_session": True, "petitions.get": True,
                 "petitions.register": False, "referrals.get": False, "households.get": False, "audit.page": False,
                 "accounts.add_account": False},
    "director": {"petitions.register": True, "petitions.extend": True, "mediations.close": True,
                 "households.log_visit": True, "statistics.compare": True, "audit.page": True,
                 "audit.export_csv": True, "accounts.add_account": False, "settings.put": False,
                 "undo.undo_last_step": True},
    "admin": {"accounts.add_account": True, "accounts.disable": True, "settings.put": True, "lists.add": True,
              "audit.verify": True, "audit.page": False, "petitions.get": False, "cases.page": False,
              "people.find_matches": False, "printing.print_case": False, "mediations.get": False},
}


# Each role's permissions written out by hand from the words, not read from domain/permissions.py: the
# matrix below takes its expected answers from here, so a permission given to a role by mistake (a window clerk
# gaining statistics.read) fails. Every case role: the case lists and search, the people on file (ID numbers and
# phones in full on a case's page), printing, the office's lists and settings (to read), its own account.
_EVERY_CASE_ROLE = {"cases.list", "people.read", "people.identity", "case.print", "lists.read", "settings.read",
                    "account.self"}
BY_HAND: dict[str, set[str]] = {
    # the window registers and handles petitions, referrals and households, reads mediations, exports lists
    "window": _EVERY_CASE_ROLE | {"petition.read", "petition.write", "referral.read", "referral.write",
                                  "household.read", "household.write", "mediation.read", "case.export",
                                  "protection.read", "protection.write", "protection.person",
                                  "exchange.export", "exchange.import"},
    # the mediator: mediations, and reading the petitions they come from
    "mediator": _EVERY_CASE_ROLE | {"mediation.read", "mediation.write", "petition.read", "protection.read",
                                    "protection.write"},
    # the 主任: everything in cases, the approvals (extension, undoing a step), statistics, the audit trail, the
    # office's lists, backing up
    "director": _EVERY_CASE_ROLE | {"petition.read", "petition.write", "referral.read", "referral.write",
                                    "household.read", "household.write", "mediation.read", "mediation.write",
                                    "petition.extend", "case.undo", "case.supervise", "case.export",
                                    "attachments.export", "statistics.read",
                                    "audit.read",
                                    "audit.verify", "lists.write", "backup.run", "protection.read",
                                    "protection.write", "protection.person", "exchange.export",
                                    "exchange.import"},
    # the administrator: accounts, settings, lists, backup and restore, the trail's integrity check — no case
    # contents, no statistics, not the trail itself
    "admin": {"accounts.manage", "settings.read", "settings.write", "lists.read", "lists.write", "backup.run",
              "backup.restore", "audit.verify", "account.self"},
}


def test_each_role_holds_exactly_the_permissions_written_by_hand() -> None:
    assert {role: set(p) for role, p in ROLE_PERMISSIONS.items()} == BY_HAND


def holds(role: str, permission: str) -> bool:
    return permission in BY_HAND.get(role, set())


def service_functions() -> Iterator[tuple[str, Callable[..., Any]]]:
    for info in sorted(pkgutil.iter_modules(services_pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"fulian_desktop.services.{info.name}")
        for name, f in inspect.getmembers(module, inspect.isfunction):
            if f.__module__ != module.__name__ or name.startswith("_") or "__mutmut_" in name:
                continue  # (the copies mutation testing adds beside each function are not service functions)
            params = list(inspect.signature(f).parameters)
            if params and params[0] == "ctx":
                yield f"{info.name}.{name}", f


def test_every_service_function_is_specified() -> None:
    names = {name for name, _f in service_functions()}
    missing = sorted(names - set(SPEC))
    assert not missing, f"service functions without a permission in tests/test_permissions.py SPEC: {missing}"
    assert set(SPEC.values()) <= permissions.ALL_PERMISSIONS


# --- calling every function ------------------------------------------------------------------------------

_IDS = {"case_id", "petition_id", "visit_id", "task_id", "org_id", "mediator_id", "list_id", "person_id",
        "entry_id"}
_DATES = {"on", "day", "due_on", "date_from", "date_to", "first", "last", "filed_on", "visit_on", "until"}
_NUMBERS = {"year": 2026, "month": 3, "days": 10, "limit": 5, "offset": 0, "count": 1, "found": 1, "minutes": 10}


def _argument(qualified: str, name: str, case_id: int, folder: Path) -> Any:
    module = qualified.split(".")[0]
    if name == "account_id":
        return 999  # no such account: the matrix never changes the accounts it signs in with
    if name == "target":
        return folder / f"{qualified}.out"
    if name in _IDS:
        return case_id
    if name in _DATES:
        return dt.date(2026, 3, 10)
    if name in _NUMBERS:
        return _NUMBERS[name]
    if name == "f":
        return AuditFilter() if module == "audit" else CaseFilter() if module in ("cases", "exchange") else None
    if name == "kind":
        return "petition"
    if name == "mapping":
        return {}
    if name == "roles":
        return {"window"}
    if name == "papers":
        return []
    if name in ("active", "include_inactive", "descending", "accept_petition"):
        return False
    if name in ("text", "name", "note", "reason", "password", "old", "new", "username", "display_name", "key",
                "value", "list_name", "case_no", "what", "form", "document", "title", "staff", "method", "reply",
                "result", "plan", "archivist", "keep_period", "remarks", "code", "lawyer", "phone_number", "id_number",
                "parent"):
        return "x"
    return None


def first_denied(ctx: Context, qualified: str, f: Callable[..., Any], case_id: int, folder: Path) -> str | None:
    """Call `f` as this context's account; the first permission refused, or None if none was."""
    denied: list[str] = []
    real = Context.require

    def require(permission: str) -> None:
        try:
            real(ctx, permission)
        except PermissionDenied:
            denied.append(permission)
            raise

    ctx.require = require  # type: ignore[method-assign]
    sig = inspect.signature(f)
    kwargs = {n: _argument(qualified, n, case_id, folder) for n, p in list(sig.parameters.items())[1:]
              if p.default is inspect.Parameter.empty and p.kind is not inspect.Parameter.VAR_KEYWORD}
    try:
        f(ctx, **kwargs)
    except PermissionDenied:
        assert denied, f"{qualified}: PermissionDenied without a check"
    except Exception:  # noqa: BLE001 - past the check, dummy arguments may well be refused
        pass
    finally:
        del ctx.require
    return denied[0] if denied else None


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    """One petition on file and an account for each role (and one holding every role)."""
    with pytest.MonkeyPatch.context() as mp:
        from fulian_desktop.store import keys

        mp.setattr(keys, "DEFAULT_KDF", CHEAP_KDF)
        path = tmp_path_factory.mktemp("matrix") / "fulian.db"
        clock = Clock()
        people = [("owner", "全角色", frozenset(ROLE_PERMISSIONS), "owner-pass-1", False)]
        people += [(role, role, frozenset({role}), f"{role}-pass-1", False) for role in ROLE_PERMISSIONS]
        ctx, _key, _aside = accounts.set_up(path, people, clock=clock, kdf=CHEAP_KDF)
        case_id, _ = petitions.register(ctx, Petition(
            channel="来访", received_on=dt.date(2026, 3, 2), headcount=1, township="东山镇", village="",
            petitioner=Person(name="柳如烟"), concerned=None, category="其他", subcategory="", facts="咨询",
            request="咨询", dv=False, safety_risk=False, receiving_staff="接待员",
        ))
        ctx.close()
        yield path, case_id


@pytest.mark.parametrize("role", [*ROLE_PERMISSIONS, "none"])
def test_role_by_action_matrix(office: tuple[Path, int], role: str, clock: Clock, tmp_path: Path) -> None:
    path, case_id = office
    if role == "none":  # an account with no role at all: every call refused at its first check
        owner = accounts.sign_in(path, "owner", "owner-pass-1", clock=clock)
        ctx = Context(db=owner.db, clock=clock, staff="x", path=path, roles=frozenset(),
                      user=Account(999, "nobody", "nobody", frozenset()), session=owner.session)
    else:
        ctx = accounts.sign_in(path, role, f"{role}-pass-1", clock=clock)
    roles = ctx.roles or frozenset()
    wrong = []
    for qualified, f in service_functions():
        permission = SPEC.get(qualified)
        if permission is None:
            continue
        denied = first_denied(ctx, qualified, f, case_id, tmp_path)
        assert allowed(roles, permission) == holds(role, permission), (role, permission)
        if holds(role, permission):
            if denied == permission:
                wrong.append(f"{qualified}: refused {permission}, which {role} holds")
        elif denied != permission:
            wrong.append(f"{qualified}: {role} lacks {permission} but the call " +
                         (f"was refused for {denied} first" if denied else "was not refused"))
        if role in STATED and qualified in STATED[role]:
            assert holds(role, permission) == STATED[role][qualified], (role, qualified)
    assert not wrong, "\n".join(wrong)
    if role != "none":
        ctx.close()
