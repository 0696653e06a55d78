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

from karbor.common import constants
from karbor import conf as karbor_conf
from karbor import context as karbor_context
from karbor import exception
from karbor import objects
from karbor import resource as karbor_resource
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

    target = messaging.Target(version='1.0')

    def __init__(self, *args, **kwargs):
        self.provider_registry = None
        self.protectable_registry = None
        self.workflow_engine = workflow.TaskFlowEngine()
        self.worker = flow_worker.Worker()

    # -- service life cycle ----------------------------------------------

    def init_host(self, **kwargs):
        """Load providers and protectables, fail interrupted operations."""
        # The registry reads the provider files when it is created.
        self.provider_registry = utils.load_plugin('karbor.provider',
                                                   CONF.provider_registry)
        self.protectable_registry = protectable_registry.ProtectableRegistry()
        self.protectable_registry.load_plugins()
        self.fail_interrupted_operations()

    def cleanup_host(self):
        """Let running operations finish, then stop the worker."""
        self.worker.stop(graceful=True)

    def fail_interrupted_operations(self):
        """Fail the operations this host was running when it stopped.

        Their flows died with the previous process: without this, their
        checkpoints, restores and verifications would stay in a running
        status forever.
        """
        ctx = karbor_context.get_admin_context()
        reason = ('interrupted: the protection service on %s restarted'
                  % CONF.host)
        for status in RUNNING_LOG_STATUSES:
            logs = objects.OperationLogList.get_all(
                ctx, filters={'status': status})
            for operation_log in logs:
                extra = flow_utils.get_operation_log_extra_info(
                    operation_log)
                if extra.get('host') != CONF.host:
                    continue
                self._fail_interrupted(ctx, operation_log, extra, reason)

    def _fail_interrupted(self, ctx, operation_log, extra, reason):
        op_type = operation_log.operation_type
        final = INTERRUPTED_STATUS.get(op_type,
                                       constants.OPERATION_LOG_STATUS_ERROR)
        LOG.warning('Operation %(type)s %(id)s was interrupted, marking it '
                    '%(status)s', {'type': op_type, 'id': operation_log.id,
                                   'status': final})
        if op_type in (constants.OPERATION_PROTECT,
                       constants.OPERATION_DELETE,
                       constants.OPERATION_COPY):
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

    def _fail_checkpoint(self, provider_id, checkpoint_id, status):
        provider = self.provider_registry.show_provider(provider_id)
        checkpoint = provider.get_checkpoint(checkpoint_id)
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
        """Check ``{"Type" or "Type#id": {...}}`` against plugin schemas."""
        for key, value in (parameters or {}).items():
            resource_type = key.split('#', 1)[0]
            plugin_class = provider.plugins.get(resource_type)
            if plugin_class is None:
                raise exception.InvalidParameters(
                    resource_type=resource_type,
                    reason='the provider has no plugin for this type')
            schema = getattr(plugin_class, 'get_%s_schema' % schema_kind)(
                resource_type)
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
        ids = provider.list_checkpoints(
            project_id, provider_id, limit=limit, marker=marker,
            plan_id=filters.get('plan_id'),
            start_date=_as_date(filters.get('start_date')),
            end_date=_as_date(filters.get('end_date')),
            sort_dir=sort_dir, context=context, all_tenants=all_tenants)
        views = []
        for checkpoint_id in ids:
            try:
                views.append(provider.get_checkpoint(checkpoint_id).to_dict())
            except exception.CheckpointNotFound:
                # Deleted between the listing and the read.
                continue
        return views

    def show_checkpoint(self, context, provider_id, checkpoint_id):
        provider = self._provider(provider_id)
        checkpoint = provider.get_checkpoint(checkpoint_id)
        self._check_owner(context, checkpoint)
        return checkpoint.to_dict()

    def delete(self, context, provider_id, checkpoint_id):
        """Start deleting a checkpoint that is available or in error."""
        provider = self._provider(provider_id)
        checkpoint = provider.get_checkpoint(checkpoint_id)
        self._check_owner(context, checkpoint,
                          exception.DeleteCheckpointNotAllowed)
        if checkpoint.status not in constants.CHECKPOINT_DELETABLE_STATUSES:
            raise exception.CheckpointNotBeDeleted(
                checkpoint_id=checkpoint_id, status=checkpoint.status)
        flow_utils.set_checkpoint_status(
            checkpoint, constants.CHECKPOINT_STATUS_DELETING)
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
            self._start(checkpoint.id, flow, store)
        except Exception as e:
            status = constants.CHECKPOINT_STATUS_ERROR_DELETING
            self._abort(context, operation_log, str(e), status,
                        flow_utils.set_checkpoint_status, checkpoint, status)
            raise

    def reset_state(self, context, provider_id, checkpoint_id, state):
        """Force a checkpoint to ``available`` or ``error``."""
        if state not in constants.CHECKPOINT_RESET_TARGETS:
            raise exception.InvalidInput(
                reason='a checkpoint can only be reset to %s' %
                       ' or '.join(constants.CHECKPOINT_RESET_TARGETS))
        provider = self._provider(provider_id)
        checkpoint = provider.get_checkpoint(checkpoint_id)
        self._check_owner(context, checkpoint)
        if checkpoint.status not in RESET_SOURCE_STATUSES:
            raise exception.CheckpointNotBeReset(
                checkpoint_id=checkpoint_id, status=checkpoint.status)
        # Only the status changes: a copy keeps its marker in extra_info.
        flow_utils.set_checkpoint_status(checkpoint, state)

    # -- restore and verification -----------------------------------------

    def _available_checkpoint(self, context, provider, checkpoint_id):
        checkpoint = provider.get_checkpoint(checkpoint_id)
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
        self._validate_parameters(provider, restore.parameters, 'restore')
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
        self._validate_parameters(provider, verification.parameters,
                                  'verify')
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
