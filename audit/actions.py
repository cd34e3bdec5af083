"""Every action the audit chain records, declared once.

`audit_record` refuses an action missing from this list, so a new kind of act is named here (with a
label the audit viewer shows) before it can be written; a test checks that every action the code
writes is declared. Codes are `<record>.<act>`, lower case, stable: the chain hashes them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    # organisation, accounts, keys
    UNIT_CREATE = "unit.create", _("Unit created")
    USER_CREATE = "user.create", _("User created")
    PARTNER_CREATE = "partner.create", _("Partner registered")
    API_KEY_CREATE = "api_key.create", _("API key created")
    API_KEY_REVOKE = "api_key.revoke", _("API key revoked")
    AUTH_LOCKOUT = "auth.lockout", _("Sign-in locked after failed attempts")
    USER_SECOND_FACTOR_ENROL = "user.second_factor_enrol", _("Authenticator app set up")
    USER_SECOND_FACTOR_RESET = "user.second_factor_reset", _("Second factor reset by an administrator")
    USER_RECOVERY_CODES = "user.recovery_codes", _("Recovery codes renewed")
    USER_RECOVERY_CODE_USED = "user.recovery_code_used", _("Recovery code used to sign in")
    USER_SIGN_OUT_EVERYWHERE = "user.sign_out_everywhere", _("Signed out on every device")
    # complaints
    CASE_CREATE = "case.create", _("Complaint registered")
    CASE_ATTACH = "case.attach", _("File attached")
    CASE_ASSIGN = "case.assign", _("Complaint assigned")
    CASE_NOTE = "case.note", _("Note added")
    CASE_LINK = "case.link", _("Complaints linked")
    CASE_RECEIPT = "case.receipt", _("Receipt printed")
    CASE_OVERDUE = "case.overdue", _("Deadline missed")
    CASE_ESCALATE = "case.escalate", _("Complaint escalated")
    CASE_QUALIFY = "case.qualify", _("Complaint qualified")
    CASE_INVESTIGATE = "case.investigate", _("Investigation started")
    CASE_REQUEST_INFORMATION = "case.request_information", _("Information requested from the complainant")
    CASE_INFORMATION_RECEIVED = "case.information_received", _("Information received")
    CASE_REFER = "case.refer", _("Referred to the prosecutor")
    CASE_RECORD_INSTRUCTIONS = "case.record_instructions", _("Prosecutor's instructions recorded")
    CASE_CONTINUE_INVESTIGATION = "case.continue_investigation", _("Investigation continued after instructions")
    CASE_REFERRAL = "case.referral", _("Referral to the prosecutor recorded")
    CASE_INSTRUCTION = "case.instruction", _("Prosecutor's instruction recorded")
    CASE_INSTRUCTION_EXECUTE = "case.instruction_execute", _("Prosecutor's instruction executed")
    CASE_INSTRUCTION_OVERDUE = "case.instruction_overdue", _("Prosecutor's instruction overdue")
    CASE_INSTRUCTION_ESCALATE = "case.instruction_escalate", _("Late instruction escalated")
    CASE_CLOSE = "case.close", _("Complaint closed")
    CASE_REOPEN = "case.reopen", _("Complaint reopened")
    CASE_CITIZEN_REOPEN = "case.citizen_reopen", _("Complaint reopened by the citizen")
    CASE_TRANSFER = "case.transfer", _("Complaint transferred")
    PERSONAL_DATA_READ = "personal_data.read", _("Personal data shown")
    PERSONAL_DATA_LOOKUP = "personal_data.lookup", _("Earlier complaints looked up by CNIE or phone")
    ATTACHMENT_READ = "attachment.read", _("Attachment opened")
    # grievances from oversight bodies, complaints against officers
    GRIEVANCE_CREATE = "grievance.create", _("Grievance registered")
    GRIEVANCE_ASSIGN_INQUIRY = "grievance.assign_inquiry", _("Grievance inquiry assigned")
    GRIEVANCE_DRAFT = "grievance.draft", _("Answer to a grievance drafted")
    GRIEVANCE_REVIEW = "grievance.review", _("Answer to a grievance reviewed")
    GRIEVANCE_APPROVE = "grievance.approve", _("Answer to a grievance approved")
    GRIEVANCE_SEND = "grievance.send", _("Answer to a grievance sent")
    GRIEVANCE_CLOSE = "grievance.close", _("Grievance closed")
    GRIEVANCE_CLOSE_UNANSWERED = "grievance.close_unanswered", _("Grievance closed without an answer")
    GRIEVANCE_LINK = "grievance.link", _("Complaint linked to a grievance")
    GRIEVANCE_FOLLOW_UP = "grievance.follow_up", _("Follow-up from the body recorded")
    GRIEVANCE_REMINDER = "grievance.reminder", _("Reminder from the body recorded")
    GRIEVANCE_LETTER = "grievance.letter", _("Answer letter produced")
    GRIEVANCE_OVERDUE = "grievance.overdue", _("Grievance deadline missed")
    GRIEVANCE_ESCALATE = "grievance.escalate", _("Grievance escalated")
    # line 19
    CALL_RECEIVE = "call.receive", _("Call received")
    CALL_END = "call.end", _("Call ended without a patrol")
    CALL_COMPLAINT = "call.complaint", _("Complaint opened from a call")
    INCIDENT_PRIORITY = "incident.priority", _("Incident priority changed")
    INCIDENT_DISPATCH = "incident.dispatch", _("Patrol dispatched")
    INCIDENT_REASSIGN = "incident.reassign", _("Patrol reassigned")
    INCIDENT_EN_ROUTE = "incident.en_route", _("Patrol en route")
    INCIDENT_ON_SCENE = "incident.on_scene", _("Patrol on scene")
    INCIDENT_RESOLVED = "incident.resolved", _("Incident resolved")
    INCIDENT_CLOSE = "incident.close", _("Incident closed")
    INCIDENT_CANCEL = "incident.cancel", _("Incident cancelled")
    PATROL_CREATE = "patrol.create", _("Patrol created")
    PATROL_STATUS = "patrol.status", _("Patrol status changed")
    ROSTER_ASSIGN = "roster.assign", _("Patrol put on a shift")
    # citizens, identity, partners
    PORTAL_FILE = "portal.file", _("Complaint filed online")
    PORTAL_CITIZEN_CASE = "portal.citizen_case", _("Complaint attached to a citizen")
    PORTAL_REOPEN = "portal.reopen", _("Reopening asked online")
    PORTAL_SURVEY = "portal.survey", _("Satisfaction survey answered")
    PORTAL_NOTIFICATION_QUEUE = "portal.notification_queue", _("Notification queued")
    PORTAL_NOTIFICATION_ATTEMPT = "portal.notification_attempt", _("Notification sent or attempted")
    PORTAL_NOTIFICATION_REQUEUE = "portal.notification_requeue", _("Notification found without a task")
    PORTAL_OUTBOX_READ = "portal.outbox_read", _("Notification outbox read")
    IDENTITY_CITIZEN_CREATED = "identity.citizen_created", _("Citizen's first sign-in")
    IDENTITY_CITIZEN_SIGNED_IN = "identity.citizen_signed_in", _("Citizen signed in")
    IDENTITY_CITIZEN_SIGNED_OUT = "identity.citizen_signed_out", _("Citizen signed out")
    IDENTITY_TTP_CHECK = "identity.ttp_check", _("Identity checked for a partner")
    IDENTITY_CITIZEN_READ = "identity.citizen_read", _("Citizen's identity read")
    IDENTITY_CONSENT_GIVE = "identity.consent_give", _("Consent to an identity check given")
    IDENTITY_CONSENT_WITHDRAW = "identity.consent_withdraw", _("Consent to an identity check withdrawn")
    IDENTITY_IDP_CODE_ISSUED = "identity.idp_code_issued", _("Demo provider: code issued")
    IDENTITY_IDP_CODE_REDEEMED = "identity.idp_code_redeemed", _("Demo provider: code redeemed")
    OPEN311_REQUEST_CREATE = "open311.request_create", _("Open311 request filed")


ACTIONS = frozenset(Action.values)
