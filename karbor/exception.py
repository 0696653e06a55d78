#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Karbor's exception hierarchy.

Every exception carries the HTTP status the API answers with when it reaches
a user (``code``) and whether its message is safe to show (``safe``). The
families below (``NotFound``, ``Invalid``, ``NotAuthorized``, ``Conflict``,
``OverQuota``) set both, so a new exception only picks its family and writes
its message. Exceptions raised in the protection service cross RPC and are
re-created on the API side with the same class, code and message.
"""

from oslo_log import log as logging

from karbor.i18n import _

LOG = logging.getLogger(__name__)


class KarborException(Exception):
    """Base class: a message template filled from keyword arguments."""

    msg_fmt = _("An unknown exception occurred.")
    code = 500
    safe = False
    headers = {}

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        self.kwargs.setdefault('code', self.code)
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError, ValueError):
                # A programming error: the template names a key that was
                # not passed. Never hide the original failure behind it.
                LOG.exception('Exception %(cls)s raised with kwargs %(kw)s '
                              'that do not fill its message',
                              {'cls': type(self).__name__, 'kw': kwargs})
                message = self.msg_fmt
        self.msg = str(message)
        super().__init__(self.msg)

    def __str__(self):
        return self.msg


# --- families ----------------------------------------------------------------

class NotAuthorized(KarborException):
    msg_fmt = _("Not authorized.")
    code = 403
    safe = True


class NotFound(KarborException):
    msg_fmt = _("Resource could not be found.")
    code = 404
    safe = True


class Invalid(KarborException):
    msg_fmt = _("Unacceptable parameters.")
    code = 400
    safe = True


class Conflict(KarborException):
    msg_fmt = _("Conflict with the current state of the resource.")
    code = 409
    safe = True


class OverQuota(KarborException):
    msg_fmt = _("Quota exceeded for resources: %(overs)s.")
    code = 413
    safe = True


class ServiceUnavailable(KarborException):
    msg_fmt = _("Service is unavailable at this time.")
    code = 503
    safe = True


# --- authorization -----------------------------------------------------------

class AdminRequired(NotAuthorized):
    msg_fmt = _("User does not have admin privileges.")


class PolicyNotAuthorized(NotAuthorized):
    msg_fmt = _("Policy doesn't allow %(action)s to be performed.")


class AccessCheckpointNotAllowed(NotAuthorized):
    msg_fmt = _("The checkpoint %(checkpoint_id)s belongs to another "
                "project.")


class DeleteCheckpointNotAllowed(NotAuthorized):
    msg_fmt = _("Deleting checkpoint %(checkpoint_id)s is not allowed: "
                "%(reason)s")


# --- bad input ---------------------------------------------------------------

class InvalidInput(Invalid):
    msg_fmt = _("Invalid input received: %(reason)s")


class ValidationError(Invalid):
    msg_fmt = _("%(detail)s")


class InvalidContentType(Invalid):
    msg_fmt = _("Invalid content type %(content_type)s.")


class MalformedRequestBody(Invalid):
    msg_fmt = _("Malformed message body: %(reason)s")


class MalformedRequestUrl(Invalid):
    msg_fmt = _("Malformed request url: %(reason)s")


class InvalidPlan(Invalid):
    msg_fmt = _("Invalid plan: %(reason)s")


class InvalidProtectableInstance(Invalid):
    msg_fmt = _("Invalid protectable instance: %(reason)s")


class InvalidOriginalId(Invalid):
    msg_fmt = _("The original id is invalid.")


class InvalidOperationDefinition(Invalid):
    msg_fmt = _("Invalid operation definition: %(reason)s")


class InvalidTrigger(Invalid):
    msg_fmt = _("Invalid trigger: %(reason)s")


class InvalidQuotaValue(Invalid):
    msg_fmt = _("Quota value %(value)s for %(resource)s is invalid: "
                "%(reason)s")


class InvalidReservationExpiration(Invalid):
    msg_fmt = _("Invalid reservation expiration %(expire)s.")


class InvalidParameters(Invalid):
    msg_fmt = _("Invalid parameters for %(resource_type)s: %(reason)s")


class ProtectableTypeNotFound(Invalid):
    # Upstream answers 400 (not 404) for an unknown protectable type and
    # clients rely on it.
    msg_fmt = _("Protectable type %(protectable_type)s is not supported.")


class ProviderNotFound(NotFound):
    msg_fmt = _("Provider %(provider_id)s could not be found.")


class PlanNotFound(NotFound):
    msg_fmt = _("Plan %(plan_id)s could not be found.")


class CheckpointNotFound(NotFound):
    msg_fmt = _("Checkpoint %(checkpoint_id)s could not be found.")


class RestoreNotFound(NotFound):
    msg_fmt = _("Restore %(restore_id)s could not be found.")


class VerificationNotFound(NotFound):
    msg_fmt = _("Verification %(verification_id)s could not be found.")


class OperationLogNotFound(NotFound):
    msg_fmt = _("Operation log %(operation_log_id)s could not be found.")


class TriggerNotFound(NotFound):
    msg_fmt = _("Trigger %(id)s could not be found.")


class ScheduledOperationNotFound(NotFound):
    msg_fmt = _("Scheduled operation %(id)s could not be found.")


class ScheduledOperationStateNotFound(NotFound):
    msg_fmt = _("Scheduled operation state %(op_id)s could not be found.")


class ScheduledOperationLogNotFound(NotFound):
    msg_fmt = _("Scheduled operation log %(log_id)s could not be found.")


class CheckpointRecordNotFound(NotFound):
    msg_fmt = _("Checkpoint record %(id)s could not be found.")


class ServiceNotFound(NotFound):
    msg_fmt = _("Service %(service_id)s could not be found.")


class HostBinaryNotFound(NotFound):
    msg_fmt = _("No service with binary %(binary)s on host %(host)s.")


class ProtectableResourceNotFound(NotFound):
    msg_fmt = _("The resource %(resource_id)s of type %(resource_type)s "
                "could not be found: %(reason)s")


class QuotaNotFound(NotFound):
    msg_fmt = _("Quota could not be found.")


class QuotaResourceUnknown(QuotaNotFound):
    msg_fmt = _("Unknown quota resources %(unknown)s.")


class ProjectQuotaNotFound(QuotaNotFound):
    msg_fmt = _("Quota for project %(project_id)s could not be found.")


class QuotaClassNotFound(QuotaNotFound):
    msg_fmt = _("Quota class %(class_name)s could not be found.")


class QuotaUsageNotFound(QuotaNotFound):
    msg_fmt = _("Quota usage for project %(project_id)s could not be found.")


class ReservationNotFound(QuotaNotFound):
    msg_fmt = _("Quota reservation %(uuid)s could not be found.")


class BankObjectNotFound(NotFound):
    msg_fmt = _("Bank object %(key)s could not be found.")


class OperationNotSupported(Invalid):
    msg_fmt = _("The %(operation)s operation is not supported for resources "
                "of type %(resource_type)s.")


# --- state conflicts ---------------------------------------------------------

class CheckpointNotAvailable(Conflict):
    msg_fmt = _("Checkpoint %(checkpoint_id)s is not available.")


class CheckpointNotBeDeleted(Conflict):
    # Upstream gives no code here, so users saw a 500 for a state problem.
    msg_fmt = _("Checkpoint %(checkpoint_id)s cannot be deleted while it "
                "is %(status)s.")


class CheckpointNotBeReset(Conflict):
    msg_fmt = _("Checkpoint %(checkpoint_id)s cannot be reset from status "
                "%(status)s.")


class PlanInUse(Conflict):
    msg_fmt = _("Plan %(plan_id)s is in use: %(reason)s")


class TriggerIsInvalid(Invalid):
    msg_fmt = _("Trigger %(trigger_id)s is invalid.")


class DeleteTriggerNotAllowed(Conflict):
    # The API turns this into 424, as upstream does.
    msg_fmt = _("Can not delete trigger %(trigger_id)s: it is in use.")


class DBEntryExists(Conflict):
    msg_fmt = _("%(model)s with %(column)s %(value)s already exists.")


class LegacyDatabaseSchema(KarborException):
    # A database created by upstream Karbor (sqlalchemy-migrate) cannot be
    # upgraded by Alembic without knowing where it stands.
    msg_fmt = _("The database was created by upstream Karbor (it has the "
                "sqlalchemy-migrate table %(table)s and no alembic_version "
                "table) and cannot be upgraded in place. Create a new "
                "database with \"karbor-manage db sync\" and copy the rows "
                "over: table and column names are unchanged.")
    safe = True


# --- quota -------------------------------------------------------------------

class QuotaError(OverQuota):
    msg_fmt = _("Quota exceeded: code=%(code)s")


class PlanLimitExceeded(OverQuota):
    msg_fmt = _("Maximum number of plans allowed (%(allowed)d) exceeded")


class CheckpointLimitExceeded(OverQuota):
    msg_fmt = _("Maximum number of checkpoints allowed (%(allowed)d) "
                "exceeded")


# --- protection service ------------------------------------------------------

class ProtectionPluginNotFound(NotFound):
    msg_fmt = _("Protection plugin %(plugin)s could not be found.")


class ProviderNotLoaded(KarborException):
    msg_fmt = _("Provider %(name)s could not be loaded: %(reason)s")


class FlowError(KarborException):
    msg_fmt = _("Flow: %(flow)s, Error: %(error)s")


class ListProtectableResourceFailed(KarborException):
    msg_fmt = _("Listing resources of type %(type)s failed: %(reason)s")
    safe = True


class ProtectableServiceNotConfigured(ServiceUnavailable):
    msg_fmt = _("Resources of type %(type)s cannot be listed: %(reason)s")


class FoundLoopError(KarborException):
    msg_fmt = _("A loop was found in the resource graph: %(loop)s")


class GraphBuildError(Invalid):
    msg_fmt = _("The resource graph cannot be built: %(reason)s")


class BankPluginError(KarborException):
    msg_fmt = _("Bank plugin error: %(reason)s")
    safe = True


class BankUnavailable(BankPluginError):
    # A bank whose plugin could not start (its storage unreachable when
    # the service started, say): a later request may find it back.
    msg_fmt = _("Bank %(bank)s is unavailable: %(reason)s")
    code = 503


class CheckpointUnreachable(ServiceUnavailable):
    # Not in the banks that could be read, but perhaps in one that could
    # not: "not found" would tell the user it is gone.
    msg_fmt = _("Checkpoint %(checkpoint_id)s is not in the banks that can "
                "be read now, and %(reason)s")


class BankCreateObjectFailed(BankPluginError):
    msg_fmt = _("Bank failed to create object %(key)s: %(reason)s")


class BankUpdateObjectFailed(BankPluginError):
    msg_fmt = _("Bank failed to update object %(key)s: %(reason)s")


class BankDeleteObjectFailed(BankPluginError):
    msg_fmt = _("Bank failed to delete object %(key)s: %(reason)s")


class BankGetObjectFailed(BankPluginError):
    msg_fmt = _("Bank failed to get object %(key)s: %(reason)s")


class BankListObjectsFailed(BankPluginError):
    msg_fmt = _("Bank failed to list objects: %(reason)s")


class BankReadonlyViolation(KarborException):
    msg_fmt = _("Bank section %(section)s is read only.")


class InvalidBankKey(Invalid):
    msg_fmt = _("Invalid bank object key %(key)s: %(reason)s")


class AcquireLeaseFailed(KarborException):
    msg_fmt = _("Acquiring a lease failed: %(reason)s")


class CheckpointCorrupted(KarborException):
    msg_fmt = _("Checkpoint %(checkpoint_id)s is corrupted in the bank: "
                "%(reason)s")
    safe = True


class InvalidConfiguration(KarborException):
    msg_fmt = _("Configuration error: %(reason)s")
    safe = True


class ResourceDataNotFound(KarborException):
    msg_fmt = _("Checkpoint %(checkpoint_id)s holds no backup data for "
                "%(resource_type)s %(resource_id)s: %(reason)s")
    safe = True


# --- checkpoint copy ---------------------------------------------------------

class CopyDestinationNotFound(Invalid):
    msg_fmt = _("Provider %(provider_id)s has no copy destination named "
                "%(destination)s.")


class NoCopyDestination(Invalid):
    msg_fmt = _("Provider %(provider_id)s has no copy destination "
                "configured.")


class CopyNotSupported(Invalid):
    msg_fmt = _("Resources of type %(types)s cannot be copied: their "
                "protection plugins have no copy operation.")


class NothingToCopy(Conflict):
    msg_fmt = _("Plan %(plan_id)s has no checkpoint to copy to "
                "%(destination)s: %(reason)s")


class CopyFailed(KarborException):
    msg_fmt = _("Copying checkpoint %(checkpoint_id)s to %(destination)s "
                "failed: %(reason)s")
    safe = True


class ChecksumMismatch(CopyFailed):
    msg_fmt = _("Object %(key)s changed in transit: its %(algorithm)s "
                "checksum is %(expected)s at the source and %(actual)s at "
                "the destination.")


class CheckpointCopyNotFound(NotFound):
    msg_fmt = _("Checkpoint copy %(copy_id)s could not be found.")


class CheckpointCopyExists(Conflict):
    msg_fmt = _("Checkpoint %(checkpoint_id)s already has a copy at "
                "%(destination)s.")
