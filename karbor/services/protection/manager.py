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

"""The protection service's RPC endpoint.

Each method checks a request, records what it starts (checkpoint, restore
or verification, and an operation log), hands the operation's flow to the
worker and returns at once. A request that cannot start raises a 4xx
exception from ``karbor.exception`` and writes nothing.
"""

import datetime

import jsonschema
from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_serialization import jsonutils
from oslo_utils import uuidutils

from karbor.common import constants
from karbor.common import option_values
from karbor import conf as karbor_conf
from karbor import context as karbor_context
from karbor import exception
from karbor import objects
from karbor.objects import operation_log as operation_log_obj
from karbor import quota
from karbor import resource as karbor_resource
from karbor.services.protection import checkpoint_finder
from karbor.services.protection.flows import copy as copy_flow
from karbor.services.protection.flows import copy_request
from karbor.services.protection.flows import delete as delete_flow
from karbor.services.protection.flows import protect as protect_flow
from karbor.services.protection.flows import restore as restore_flow
from karbor.services.protection.flows import utils as flow_utils
from karbor.services.protection.flows import verify as verify_flow
from karbor.services.protection.flows import worker as flow_worker
from karbor.services.protection.flows import workflow
from karbor.services.protection import graph
from karbor.services.protection import protectable_registry
from karbor import utils

LOG = logging.getLogger(__name__)

CONF = karbor_conf.CONF

# Checkpoint statuses an operator may reset from.
RESET_SOURCE_STATUSES = (
    constants.CHECKPOINT_STATUS_AVAILABLE,
    constants.CHECKPOINT_STATUS_ERROR,
    constants.CHECKPOINT_STATUS_PROTECTING,
    constants.CHECKPOINT_STATUS_DELETING,
    constants.CHECKPOINT_STATUS_ERROR_DELETING,
    constants.CHECKPOINT_STATUS_WAIT_COPYING,
    constants.CHECKPOINT_STATUS_COPYING,
)

# Operation-log statuses of an operation still running, and the status
# each kind of operation ends in when it is interrupted.
RUNNING_LOG_STATUSES = (
    constants.CHECKPOINT_STATUS_PROTECTING,
    constants.CHECKPOINT_STATUS_DELETING,
    constants.CHECKPOINT_STATUS_WAIT_COPYING,
    constants.CHECKPOINT_STATUS_COPYING,
    constants.OPERATION_LOG_STATUS_IN_PROGRESS,
)
INTERRUPTED_STATUS = {
    constants.OPERATION_PROTECT: constants.CHECKPOINT_STATUS_ERROR,
    constants.OPERATION_DELETE: constants.CHECKPOINT_STATUS_ERROR_DELETING,
    constants.OPERATION_COPY: constants.CHECKPOINT_STATUS_ERROR,
    constants.OPERATION_RESTORE: constants.RESTORE_STATUS_FAILURE,
    constants.OPERATION_VERIFY: constants.VERIFICATION_STATUS_FAILURE,
}


def _as_date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _view(res):
    return {'id': res.id, 'type': res.type, 'name': res.name,
            'extra_info': res.extra_info}


class ProtectionManager:
    """Manages providers, checkpoints and the operations on them."""

    # 1.1 adds copy.
    target = messaging.Target(version='1.1')

    def __init__(self, *args, **kwargs):
        self.provider_registry = None
        self.protectable_registry = None
        self.workflow_engine = workflow.TaskFlowEngine()
        self.worker = flow_worker.Worker()

    # -- service life cycle ----------------------------------------------

    def init_host(self, **kwargs):
        """Load providers and protectables; resume or fail what stopped."""
        # The registry reads the provider files when it is created.
        self.provider_registry = utils.load_plugin('karbor.provider',
                                                   CONF.provider_registry)
        self.protectable_registry = protectable_registry.ProtectableRegistry()
        self.protectable_registry.load_plugins()
        handled = self.resume_copies()
        self.fail_interrupted_operations(skip_log_ids=handled)

    def cleanup_host(self):
        """Let running operations finish, then stop the worker."""
        self.worker.stop(graceful=True)

    def fail_interrupted_operations(self, skip_log_ids=()):
        """Fail the operations this host was running when it stopped.

        Their flows died with the previous process: without this, their
        checkpoints, restores and verifications would stay in a running
        status forever.

        :param skip_log_ids: operation logs already dealt with (the copies
            :meth:`resume_copies` resumed or failed, and their requests).
        """
        skip_log_ids = set(skip_log_ids or ())
        ctx = karbor_context.get_admin_context()
        reason = ('interrupted: the protection service on %s restarted'
                  % CONF.host)
        for status in RUNNING_LOG_STATUSES:
            logs = objects.OperationLogList.get_all(
                ctx, filters={'status': status})
            for operation_log in logs:
                extra = flow_utils.get_operation_log_extra_info(
                    operation_log)
                if (extra.get('host') != CONF.host or
                        operation_log.id in skip_log_ids):
                    continue
                self._fail_interrupted(ctx, operation_log, extra, reason)

    def _fail_interrupted(self, ctx, operation_log, extra, reason):
        op_type = operation_log.operation_type
        if (op_type == constants.OPERATION_COPY and
                self._settle_finished_copy_log(ctx, operation_log)):
            return
        final = INTERRUPTED_STATUS.get(op_type,
                                       constants.OPERATION_LOG_STATUS_ERROR)
        LOG.warning('Operation %(type)s %(id)s was interrupted, marking it '
                    '%(status)s', {'type': op_type, 'id': operation_log.id,
                                   'status': final})
        # A copy request's own log names no checkpoint.
        if (op_type in (constants.OPERATION_PROTECT,
                        constants.OPERATION_DELETE,
                        constants.OPERATION_COPY) and
                operation_log.checkpoint_id):
            flow_utils.best_effort(
                'fail checkpoint %s' % operation_log.checkpoint_id,
                self._fail_checkpoint, operation_log.provider_id,
                operation_log.checkpoint_id, final)
        elif op_type == constants.OPERATION_RESTORE:
            flow_utils.best_effort(
                'fail restore %s' % operation_log.restore_id,
                self._fail_record, objects.Restore, ctx,
                operation_log.restore_id, final)
        elif op_type == constants.OPERATION_VERIFY:
            flow_utils.best_effort(
                'fail verification %s' % extra.get('verification_id'),
                self._fail_record, objects.Verification, ctx,
                extra.get('verification_id'), final)
        flow_utils.fail_operation_log(ctx, operation_log, final, reason)

    @staticmethod
    def _settle_finished_copy_log(ctx, operation_log):
        """Bring a copy's log in line with its copies, if they ended.

        The service may die after a copy finished but before its logs were
        closed. The checkpoint_copies rows say how the copies ended: a
        request's log is recomputed from them, and a copy that is
        available gets a successful log instead of a failed one.

        :returns: whether the log was settled.
        """
        if not operation_log.checkpoint_id:
            copy_request.refresh(ctx, operation_log.id)
            return True
        try:
            row = objects.CheckpointCopy.get_by_id(
                ctx, operation_log.checkpoint_id)
        except exception.NotFound:
            return False
        if row.status != constants.CHECKPOINT_STATUS_AVAILABLE:
            return False
        flow_utils.best_effort(
            'close the log of copy %s' % row.id,
            flow_utils.update_operation_log, ctx, operation_log,
            status=constants.OPERATION_LOG_STATUS_SUCCESS, ended=True)
        copy_request.refresh(ctx, row.request_id)
        return True

    def _fail_checkpoint(self, provider_id, checkpoint_id, status):
        provider = self.provider_registry.show_provider(provider_id)
        checkpoint, _where = checkpoint_finder.find_checkpoint(
            provider, checkpoint_id)
        flow_utils.set_checkpoint_status(checkpoint, status)

    @staticmethod
    def _fail_record(object_class, ctx, record_id, status):
        if not record_id:
            return
        record = object_class.get_by_id(ctx, record_id)
        record.status = status
        record.save()

    # -- helpers -----------------------------------------------------------

    def _provider(self, provider_id):
        return self.provider_registry.show_provider(provider_id)

    @staticmethod
    def _check_owner(context, checkpoint, error_class=None):
        if context.is_admin or checkpoint.project_id == context.project_id:
            return
        if error_class is exception.DeleteCheckpointNotAllowed:
            raise error_class(checkpoint_id=checkpoint.id,
                              reason='it belongs to another project')
        raise exception.AccessCheckpointNotAllowed(
            checkpoint_id=checkpoint.id)

    def _start(self, operation_id, flow, store):
        engine = self.workflow_engine.get_engine(flow, store=store)
        self.worker.run_flow(operation_id, self.workflow_engine, engine)

    @staticmethod
    def _validate_parameters(provider, parameters, schema_kind):
        """Check ``{"Type" or "Type#id": {...}}`` against plugin schemas.

        String values are first read as the types the schemas want, where
        they can be (see :mod:`karbor.common.option_values`).

        :returns: the parameters with those values converted.
        """
        checked = {}
        for key, value in (parameters or {}).items():
            resource_type = key.split('#', 1)[0]
            plugin_class = provider.plugins.get(resource_type)
            if plugin_class is None:
                raise exception.InvalidParameters(
                    resource_type=resource_type,
                    reason='the provider has no plugin for this type')
            schema = getattr(plugin_class, 'get_%s_schema' % schema_kind)(
                resource_type)
            value = option_values.from_strings(value, schema)
            try:
                jsonschema.validate(value, schema,
                                    cls=jsonschema.Draft4Validator)
            except jsonschema.ValidationError as e:
                raise exception.InvalidParameters(
                    resource_type=key, reason=e.message)
            except jsonschema.SchemaError as e:
                raise exception.InvalidParameters(
                    resource_type=key,
                    reason='the plugin publishes an invalid schema: %s'
                           % e.message)
            checked[key] = value
        return checked

    # -- checkpoints -------------------------------------------------------

    def protect(self, context, plan, checkpoint_properties=None):
        """Start protecting ``plan``; return the new checkpoint's view."""
        if not plan or not plan.resources:
            raise exception.InvalidPlan(
                reason='the plan has no resources to protect')
        provider = self._provider(plan.provider_id)
        resources = [karbor_resource.Resource.from_dict(r)
                     for r in plan.resources]
        self._check_plugins(provider, [r.type for r in resources])
        resource_graph = self.protectable_registry.build_graph(context,
                                                               resources)
        self._check_plugins(provider, {
            node.value.type for node in graph.iter_graph_nodes(
                resource_graph)})

        checkpoint = provider.checkpoint_collection.create(
            plan, checkpoint_properties, context=context)
        operation_log = None
        try:
            checkpoint.resource_graph = resource_graph
            checkpoint.commit()
            operation_log = flow_utils.create_operation_log(
                context, constants.OPERATION_PROTECT,
                constants.CHECKPOINT_STATUS_PROTECTING,
                checkpoint_id=checkpoint.id, plan_id=plan.id,
                provider_id=provider.id,
                scheduled_operation_id=self._scheduled_operation_id(
                    checkpoint),
                project_id=checkpoint.project_id)
            flow, store = protect_flow.get_flow(
                context, self.workflow_engine, checkpoint, provider,
                operation_log, plan.parameters)
            self._start(checkpoint.id, flow, store)
        except Exception as e:
            status = constants.CHECKPOINT_STATUS_ERROR
            self._abort(context, operation_log, str(e), status,
                        flow_utils.set_checkpoint_status, checkpoint, status)
            raise
        return checkpoint.to_dict()

    @staticmethod
    def _check_plugins(provider, resource_types):
        missing = sorted(set(resource_types) - set(provider.plugins))
        if missing:
            raise exception.InvalidPlan(
                reason='provider %s has no protection plugin for %s' % (
                    provider.id, ', '.join(missing)))

    @staticmethod
    def _scheduled_operation_id(checkpoint):
        try:
            extra = jsonutils.loads(checkpoint.extra_info or '{}')
        except (TypeError, ValueError):
            return None
        if not isinstance(extra, dict):
            return None
        if (extra.get('created_by') ==
                constants.CHECKPOINT_CREATED_BY_OPERATION_ENGINE):
            return extra.get('scheduled_operation_id')
        return None

    @staticmethod
    def _abort(context, operation_log, reason, status, fail, *args):
        """Fail what a request created when its flow cannot start.

        Without this a checkpoint, restore or verification would stay in a
        running status that nothing will ever end.
        """
        LOG.exception('An operation could not start: %s', reason)
        flow_utils.best_effort('fail the operation target', fail, *args)
        if operation_log is not None:
            flow_utils.fail_operation_log(context, operation_log, status,
                                          reason)

    def list_checkpoints(self, context, provider_id, marker=None, limit=None,
                         sort_keys=None, sort_dirs=None, filters=None,
                         all_tenants=False):
        """Views of one page of checkpoints, newest first by default."""
        provider = self._provider(provider_id)
        filters = dict(filters or {})
        project_id = context.project_id
        all_tenants = bool(all_tenants and context.is_admin)
        if all_tenants and filters.get('project_id'):
            project_id = filters['project_id']
            all_tenants = False
        sort_dir = (sort_dirs[0] if sort_dirs else None) or 'desc'
        # The main bank and every copy destination, merged.
        entries = checkpoint_finder.list_checkpoints(
            provider, project_id, provider_id, limit=limit, marker=marker,
            plan_id=filters.get('plan_id'),
            start_date=_as_date(filters.get('start_date')),
            end_date=_as_date(filters.get('end_date')),
            sort_dir=sort_dir, context=context, all_tenants=all_tenants)
        views = []
        for checkpoint_id, where in entries:
            try:
                views.append(checkpoint_finder.get_from(
                    provider, checkpoint_id, where).to_dict())
            except exception.CheckpointNotFound:
                # Deleted between the listing and the read, or another
                # provider's, listed by its plan from a shared bank.
                continue
        return views

    def show_checkpoint(self, context, provider_id, checkpoint_id):
        """The checkpoint's view.

        A checkpoint that has copies (made by this deployment) also shows
        them, in ``copies``: ``[{"id", "destination", "status"}]``.
        """
        provider = self._provider(provider_id)
        checkpoint, _where = checkpoint_finder.find_checkpoint(
            provider, checkpoint_id)
        self._check_owner(context, checkpoint)
        view = checkpoint.to_dict()
        if not checkpoint.is_copy:
            rows = objects.CheckpointCopyList.get_all(
                karbor_context.get_admin_context(),
                filters={'source_checkpoint_id': checkpoint.id},
                sort_keys=['destination'], sort_dirs=['asc'])
            if rows:
                view['copies'] = [{'id': row.id,
                                   'destination': row.destination,
                                   'status': row.status} for row in rows]
        return view

    def delete(self, context, provider_id, checkpoint_id):
        """Start deleting a checkpoint that is available or in error.

        A copy is deleted from its destination bank only, and its
        ``checkpoint_copies`` row with it; a source's copies are left
        alone. A source is not deleted while a copy of it runs.
        """
        provider = self._provider(provider_id)
        checkpoint, where = checkpoint_finder.find_checkpoint(
            provider, checkpoint_id)
        self._check_owner(context, checkpoint,
                          exception.DeleteCheckpointNotAllowed)
        if checkpoint.status not in constants.CHECKPOINT_DELETABLE_STATUSES:
            raise exception.CheckpointNotBeDeleted(
                checkpoint_id=checkpoint_id, status=checkpoint.status)
        is_source = (where is checkpoint_finder.MAIN_BANK and
                     not checkpoint.is_copy)
        if is_source:
            self._refuse_while_copied(checkpoint)
        previous_status = checkpoint.status
        flow_utils.set_checkpoint_status(
            checkpoint, constants.CHECKPOINT_STATUS_DELETING)
        if is_source:
            # A copy request that chose this source just before it left
            # 'available' may have claimed it since the first look.
            try:
                self._refuse_while_copied(checkpoint)
            except exception.CheckpointNotBeDeleted:
                flow_utils.set_checkpoint_status(checkpoint,
                                                 previous_status)
                raise
        operation_log = None
        try:
            operation_log = flow_utils.create_operation_log(
                context, constants.OPERATION_DELETE,
                constants.CHECKPOINT_STATUS_DELETING,
                checkpoint_id=checkpoint.id,
                plan_id=(checkpoint.protection_plan or {}).get('id'),
                provider_id=provider.id, project_id=checkpoint.project_id)
            flow, store = delete_flow.get_flow(
                context, self.workflow_engine, checkpoint, provider,
                operation_log)
            if where is not checkpoint_finder.MAIN_BANK or checkpoint.is_copy:
                # Runs last, once the copy is gone from its bank.
                self.workflow_engine.add_tasks(
                    flow, copy_flow.ForgetCopyTask(checkpoint.id))
            self._start(checkpoint.id, flow, store)
        except Exception as e:
            status = constants.CHECKPOINT_STATUS_ERROR_DELETING
            self._abort(context, operation_log, str(e), status,
                        flow_utils.set_checkpoint_status, checkpoint, status)
            raise

    @staticmethod
    def _refuse_while_copied(checkpoint):
        # A copy reads its source until its last object: deleting the
        # source under it would fail the copy half way.
        running = objects.CheckpointCopyList.get_all(
            karbor_context.get_admin_context(), filters={
                'source_checkpoint_id': checkpoint.id,
                'status': [constants.CHECKPOINT_STATUS_WAIT_COPYING,
                           constants.CHECKPOINT_STATUS_COPYING]})
        if running:
            raise exception.CheckpointNotBeDeleted(
                checkpoint_id=checkpoint.id,
                status='being copied to %s' % ', '.join(
                    sorted({row.destination for row in running})))

    def reset_state(self, context, provider_id, checkpoint_id, state):
        """Force a checkpoint to ``available`` or ``error``."""
        if state not in constants.CHECKPOINT_RESET_TARGETS:
            raise exception.InvalidInput(
                reason='a checkpoint can only be reset to %s' %
                       ' or '.join(constants.CHECKPOINT_RESET_TARGETS))
        provider = self._provider(provider_id)
        checkpoint, _where = checkpoint_finder.find_checkpoint(
            provider, checkpoint_id)
        self._check_owner(context, checkpoint)
        if checkpoint.status not in RESET_SOURCE_STATUSES:
            raise exception.CheckpointNotBeReset(
                checkpoint_id=checkpoint_id, status=checkpoint.status)
        # Only the status changes: a copy keeps copy_of and its marker in
        # extra_info, so it never looks like an original.
        flow_utils.set_checkpoint_status(checkpoint, state)
        if checkpoint.is_copy:
            # The row follows, so that an errored copy can be retried and
            # an available one is not copied again.
            try:
                record = objects.CheckpointCopy.get_by_id(
                    context.elevated(), checkpoint.id)
            except exception.CheckpointCopyNotFound:
                return
            copy_flow.set_record_status(record, state)

    # -- copy ----------------------------------------------------------------

    def copy(self, context, plan, destination=None, parameters=None):
        """Start copying a plan's uncopied checkpoints to a destination.

        Every ``available`` checkpoint of ``plan`` in the provider's main
        bank that has no copy at ``destination`` yet (or whose copy failed,
        which is then retried in place) gets a copy checkpoint in the
        destination bank, an operation log and a flow of its own. One
        request-level operation log sums them up.

        :param plan: a ``Plan`` object (or anything with ``id``,
            ``provider_id``).
        :param destination: a destination name; the provider's default
            when None.
        :param parameters: ``{"Type" or "Type#id": {...}}`` for the copy
            operations.
        :returns: ``{"id": <request log id>, "status", "project_id",
            "provider_id", "plan_id", "parameters", "destination": <view>,
            "checkpoint_id": [{"checkpoint_protect_id",
            "checkpoint_copy_id"}]}``.
        :raises karbor.exception.InvalidParameters, NoCopyDestination,
            CopyDestinationNotFound, CopyNotSupported: (400).
        :raises karbor.exception.NothingToCopy: (409).
        :raises karbor.exception.CheckpointLimitExceeded: (413).
        :raises karbor.exception.BankUnavailable: the destination's bank
            cannot start (503).
        """
        if not plan:
            raise exception.InvalidPlan(reason='no plan was given')
        provider = self._provider(plan.provider_id)
        parameters = self._validate_parameters(provider, parameters, 'copy')
        dest = provider.get_copy_destination(destination)
        # A destination that could not start (its site unreachable) is
        # refused before anything is created.
        dest.bank.check_available()
        new_sources, retries = self._copy_candidates(context, provider,
                                                     plan, dest)
        self._check_copy_plugins(
            provider, new_sources + [source for source, _row in retries])

        reservations = []
        if new_sources:
            reservations = quota.QUOTAS.reserve(
                context, **{constants.QUOTA_CHECKPOINTS: len(new_sources)})
        request_id = uuidutils.generate_uuid()
        try:
            claimed = self._claim_copies(context, provider, plan, dest,
                                         request_id, new_sources, retries)
        except Exception:
            quota.QUOTAS.rollback(context, reservations)
            raise
        self._settle_copy_quota(context, reservations, len(new_sources),
                                sum(1 for c in claimed if c[2]))
        if not claimed:
            raise exception.NothingToCopy(
                plan_id=plan.id, destination=dest.name,
                reason='every available checkpoint is already copied or '
                       'being copied')

        pairs = [{'checkpoint_protect_id': source.id,
                  'checkpoint_copy_id': row.id}
                 for source, row, _new in claimed]
        progress = {key: 0 for key in operation_log_obj.PROGRESS_KEYS}
        request_log = flow_utils.create_operation_log(
            context, constants.OPERATION_COPY,
            constants.CHECKPOINT_STATUS_WAIT_COPYING, plan_id=plan.id,
            provider_id=provider.id, operation_log_id=request_id,
            extra_info=dict(progress, destination=dest.name, copies=pairs))
        for source, row, new in claimed:
            self._start_copy(context, provider, dest, source, row, new,
                             parameters)
        request_log = objects.OperationLog.get_by_id(context, request_id)
        return {
            'id': request_id,
            'status': request_log.status,
            'project_id': context.project_id,
            'provider_id': provider.id,
            'plan_id': plan.id,
            'parameters': parameters or {},
            'destination': dest.to_dict(),
            'checkpoint_id': pairs,
        }

    def _copy_candidates(self, context, provider, plan, dest):
        """``(new sources, [(source, failed copy row)])`` to copy."""
        ids = provider.checkpoint_collection.list_ids(
            provider.id, project_id=context.project_id, plan_id=plan.id,
            context=context)
        sources = []
        for checkpoint_id in ids:
            try:
                checkpoint = provider.get_checkpoint(checkpoint_id)
            except exception.CheckpointNotFound:
                continue
            if (checkpoint.status == constants.CHECKPOINT_STATUS_AVAILABLE
                    and not checkpoint.is_copy):
                sources.append(checkpoint)
        if not sources:
            raise exception.NothingToCopy(
                plan_id=plan.id, destination=dest.name,
                reason='the plan has no available checkpoint')
        rows = {row.source_checkpoint_id: row
                for row in objects.CheckpointCopyList.get_all(
                    context, filters={
                        'destination': dest.name,
                        'source_checkpoint_id': [s.id for s in sources]})}
        new_sources = [s for s in sources if s.id not in rows]
        # A copy in error whose flow still runs here (an admin reset its
        # state) is not retried: two flows would write the same copy.
        running = set(self.worker.running())
        retries = [(s, rows[s.id]) for s in sources
                   if s.id in rows and
                   rows[s.id].status == constants.CHECKPOINT_STATUS_ERROR and
                   rows[s.id].id not in running]
        if not new_sources and not retries:
            raise exception.NothingToCopy(
                plan_id=plan.id, destination=dest.name,
                reason='every available checkpoint is already copied or '
                       'being copied')
        return new_sources, retries

    @staticmethod
    def _check_copy_plugins(provider, sources):
        refused = set()
        for source in sources:
            for node in graph.iter_graph_nodes(source.resource_graph or []):
                resource_type = node.value.type
                plugin_class = provider.plugins.get(resource_type)
                if (plugin_class is None or not plugin_class.
                        supports_operation(constants.OPERATION_COPY)):
                    refused.add(resource_type)
        if refused:
            raise exception.CopyNotSupported(types=', '.join(sorted(refused)))

    @staticmethod
    def _claim_copies(context, provider, plan, dest, request_id,
                      new_sources, retries):
        """Claim the copies; ``[(source, row, is new)]`` of those won.

        A duplicate insert, or a lost retry claim, means a concurrent
        request has that source: it is skipped here.
        """
        claimed = []
        for source in new_sources:
            row = objects.CheckpointCopy(
                context=context, id=uuidutils.generate_uuid(),
                project_id=source.project_id or context.project_id,
                provider_id=provider.id, plan_id=plan.id,
                source_checkpoint_id=source.id, destination=dest.name,
                status=constants.CHECKPOINT_STATUS_WAIT_COPYING,
                request_id=request_id, host=CONF.host)
            try:
                row.create()
            except exception.CheckpointCopyExists:
                LOG.info('Checkpoint %(id)s is being copied to %(dest)s by '
                         'another request', {'id': source.id,
                                             'dest': dest.name})
                continue
            claimed.append((source, row, True))
        for source, row in retries:
            if row.claim_for_retry(request_id=request_id, host=CONF.host):
                claimed.append((source, row, False))
        return claimed

    @staticmethod
    def _settle_copy_quota(context, reservations, reserved, used):
        """Keep the quota of the copies created, release the rest."""
        if not reservations:
            return
        if not used:
            quota.QUOTAS.rollback(context, reservations)
            return
        quota.QUOTAS.commit(context, reservations)
        if used < reserved:
            release = quota.QUOTAS.reserve(
                context, **{constants.QUOTA_CHECKPOINTS: used - reserved})
            quota.QUOTAS.commit(context, release)

    def _start_copy(self, context, provider, dest, source, row, new,
                    parameters):
        """Write the copy checkpoint and its log, and start its flow.

        A copy that cannot start is failed (its checkpoint, row and log);
        the other copies of the request go on.
        """
        checkpoint_copy = None
        operation_log = None
        try:
            # The log comes first: it is where the reason goes when the
            # destination cannot even take the copy's index.
            operation_log = flow_utils.create_operation_log(
                context, constants.OPERATION_COPY,
                constants.CHECKPOINT_STATUS_WAIT_COPYING,
                checkpoint_id=row.id, plan_id=row.plan_id,
                provider_id=provider.id, project_id=row.project_id,
                extra_info={'copy_request_id': row.request_id,
                            'source_checkpoint_id': source.id,
                            'destination': dest.name,
                            # Kept so a restart can resume the copy.
                            'parameters': parameters or {}})
            row.operation_log_id = operation_log.id
            row.save()
            if new:
                checkpoint_copy = dest.checkpoint_collection.create_copy(
                    source, copy_id=row.id, destination=dest.name,
                    source_bank=getattr(provider, 'bank_plugin_name', None),
                    context=context)
            else:
                checkpoint_copy = self._reopen_copy(context, provider, dest,
                                                    source, row)
            self._run_copy(context, provider, source, checkpoint_copy, row,
                           operation_log, parameters,
                           earlier_attempts=not new)
        except Exception as e:
            LOG.exception('Copy %(copy)s of checkpoint %(source)s could not '
                          'start', {'copy': row.id, 'source': source.id})
            copy_flow.fail_copy(context, checkpoint_copy, row, operation_log,
                                str(e))

    @staticmethod
    def _reopen_copy(context, provider, dest, source, row):
        """The copy checkpoint of a retried copy, back in wait_copying."""
        try:
            checkpoint_copy = dest.checkpoint_collection.get(row.id)
        except exception.CheckpointNotFound:
            return dest.checkpoint_collection.create_copy(
                source, copy_id=row.id, destination=dest.name,
                source_bank=getattr(provider, 'bank_plugin_name', None),
                context=context)
        copy_flow.set_copy_state(checkpoint_copy,
                                 constants.CHECKPOINT_STATUS_WAIT_COPYING,
                                 constants.CHECKPOINT_STATUS_WAIT_COPYING)
        return checkpoint_copy

    def _run_copy(self, context, provider, source, checkpoint_copy, row,
                  operation_log, parameters, earlier_attempts=True):
        flow, store = copy_flow.get_flow(
            context, self.workflow_engine, source, checkpoint_copy, provider,
            row, operation_log, parameters,
            earlier_attempts=earlier_attempts)
        self._start(row.id, flow, store)

    def resume_copies(self):
        """Resume the copies this host was running when it stopped.

        Each copy still in ``wait_copying`` or ``copying`` gets its flow
        again (the movers skip what already arrived). One that cannot be
        resumed (provider, destination, source or copy gone) is failed,
        with the reason in its operation log.

        :returns: the ids of the operation logs dealt with, per copy and
            per request, which must not be failed as interrupted.
        """
        ctx = karbor_context.get_admin_context()
        rows = objects.CheckpointCopyList.get_all(ctx, filters={
            'host': CONF.host,
            'status': [constants.CHECKPOINT_STATUS_WAIT_COPYING,
                       constants.CHECKPOINT_STATUS_COPYING]})
        handled = set()
        requests = set()
        for row in rows:
            handled.update(i for i in (row.operation_log_id, row.request_id)
                           if i)
            if row.request_id:
                requests.add(row.request_id)
            self._resume_copy(ctx, row)
        for request_id in requests:
            copy_request.refresh(ctx, request_id)
        return handled

    def _resume_copy(self, ctx, row):
        checkpoint_copy = None
        operation_log = None
        try:
            if row.operation_log_id:
                operation_log = objects.OperationLog.get_by_id(
                    ctx, row.operation_log_id)
            provider = self._provider(row.provider_id)
            dest = provider.get_copy_destination(row.destination)
            try:
                checkpoint_copy = dest.checkpoint_collection.get(row.id)
            except exception.CheckpointNotFound:
                raise exception.CopyFailed(
                    checkpoint_id=row.source_checkpoint_id,
                    destination=row.destination,
                    reason='the copy checkpoint is gone from the '
                           'destination')
            source = provider.get_checkpoint(row.source_checkpoint_id)
            if source.status != constants.CHECKPOINT_STATUS_AVAILABLE:
                raise exception.CopyFailed(
                    checkpoint_id=source.id, destination=row.destination,
                    reason='the source checkpoint is %s' % source.status)
            if operation_log is None:
                raise exception.CopyFailed(
                    checkpoint_id=source.id, destination=row.destination,
                    reason='its operation log is missing')
            extra = flow_utils.get_operation_log_extra_info(operation_log)
            self._run_copy(ctx, provider, source, checkpoint_copy, row,
                           operation_log, extra.get('parameters'))
            LOG.info('Resumed copy %(copy)s of checkpoint %(source)s to '
                     '%(dest)s', {'copy': row.id, 'source': source.id,
                                  'dest': row.destination})
        except Exception as e:
            reason = ('could not resume the copy after the protection '
                      'service on %s restarted: %s' % (CONF.host, e))
            LOG.warning('Copy %(copy)s: %(reason)s',
                        {'copy': row.id, 'reason': reason})
            copy_flow.fail_copy(ctx, checkpoint_copy, row, operation_log,
                                reason)

    # -- restore and verification -----------------------------------------

    def _available_checkpoint(self, context, provider, checkpoint_id):
        # A copy is restored and verified from its destination bank only.
        checkpoint, _where = checkpoint_finder.find_checkpoint(
            provider, checkpoint_id)
        self._check_owner(context, checkpoint)
        if checkpoint.status != constants.CHECKPOINT_STATUS_AVAILABLE:
            raise exception.CheckpointNotAvailable(
                checkpoint_id=checkpoint_id)
        return checkpoint

    def restore(self, context, restore, restore_auth=None):
        """Check and create ``restore`` (unsaved), start it, return it."""
        provider = self._provider(restore.provider_id)
        checkpoint = self._available_checkpoint(context, provider,
                                                restore.checkpoint_id)
        restore.parameters = self._validate_parameters(
            provider, restore.parameters, 'restore')
        restore.status = constants.RESTORE_STATUS_IN_PROGRESS
        restore.create()
        operation_log = None
        try:
            operation_log = flow_utils.create_operation_log(
                context, constants.OPERATION_RESTORE,
                constants.OPERATION_LOG_STATUS_IN_PROGRESS,
                checkpoint_id=checkpoint.id,
                plan_id=(checkpoint.protection_plan or {}).get('id'),
                provider_id=provider.id, restore_id=restore.id)
            flow, store = restore_flow.get_flow(
                context, self.workflow_engine, checkpoint, provider, restore,
                operation_log, restore.parameters, restore_auth=restore_auth)
            self._start(restore.id, flow, store)
        except Exception as e:
            status = constants.RESTORE_STATUS_FAILURE
            self._abort(context, operation_log, str(e), status,
                        self._set_record_status, restore, status)
            raise
        return restore

    def verification(self, context, verification):
        """Check and create ``verification`` (unsaved), start it."""
        provider = self._provider(verification.provider_id)
        checkpoint = self._available_checkpoint(context, provider,
                                                verification.checkpoint_id)
        verification.parameters = self._validate_parameters(
            provider, verification.parameters, 'verify')
        verification.status = constants.VERIFICATION_STATUS_IN_PROGRESS
        verification.create()
        operation_log = None
        try:
            operation_log = flow_utils.create_operation_log(
                context, constants.OPERATION_VERIFY,
                constants.OPERATION_LOG_STATUS_IN_PROGRESS,
                checkpoint_id=checkpoint.id,
                plan_id=(checkpoint.protection_plan or {}).get('id'),
                provider_id=provider.id,
                extra_info={'verification_id': verification.id})
            flow, store = verify_flow.get_flow(
                context, self.workflow_engine, checkpoint, provider,
                verification, operation_log, verification.parameters)
            self._start(verification.id, flow, store)
        except Exception as e:
            status = constants.VERIFICATION_STATUS_FAILURE
            self._abort(context, operation_log, str(e), status,
                        self._set_record_status, verification, status)
            raise
        return verification

    @staticmethod
    def _set_record_status(record, status):
        record.status = status
        record.save()

    # -- protectables --------------------------------------------------------

    def list_protectable_types(self, context):
        return self.protectable_registry.list_resource_types()

    def show_protectable_type(self, context, protectable_type):
        return self.protectable_registry.show_protectable_type(
            protectable_type)

    def list_protectable_instances(self, context, protectable_type,
                                   marker=None, limit=None, sort_keys=None,
                                   sort_dirs=None, filters=None,
                                   parameters=None):
        resources = self.protectable_registry.list_resources(
            context, protectable_type, parameters)
        views = [_view(r) for r in resources]
        if marker is not None:
            ids = [v['id'] for v in views]
            views = views[ids.index(marker) + 1:] if marker in ids else []
        if limit is not None:
            views = views[:limit]
        return views

    def show_protectable_instance(self, context, protectable_type,
                                  protectable_id, parameters=None):
        res = self.protectable_registry.show_resource(
            context, protectable_type, protectable_id, parameters=parameters)
        if res is None:
            raise exception.ProtectableResourceNotFound(
                resource_id=protectable_id, resource_type=protectable_type,
                reason='the plugin found nothing')
        return _view(res)

    def list_protectable_dependents(self, context, protectable_id,
                                    protectable_type, protectable_name):
        parent = karbor_resource.Resource(type=protectable_type,
                                          id=protectable_id,
                                          name=protectable_name)
        return [_view(r) for r in
                self.protectable_registry.fetch_dependent_resources(
                    context, parent)]

    # -- providers -----------------------------------------------------------

    def list_providers(self, context, marker=None, limit=None,
                       sort_keys=None, sort_dirs=None, filters=None):
        providers = self.provider_registry.list_providers(
            marker=marker, limit=limit, sort_keys=sort_keys,
            sort_dirs=sort_dirs, filters=filters)
        return [p.to_dict() if hasattr(p, 'to_dict') else p
                for p in providers]

    def show_provider(self, context, provider_id):
        return self._provider(provider_id).to_dict()
