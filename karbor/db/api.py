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

"""The database API: what karbor.objects may ask of the database.

``get_instance()`` returns the implementation (SQLAlchemy, in
``karbor.db.sqlalchemy.api``). Nothing but ``karbor.objects`` and
``karbor.quota`` calls it.

Conventions shared by every method:

* ``context`` is a ``karbor.context.RequestContext``. Rows of tables with a
  ``project_id`` column are only visible to admin contexts or to contexts
  of the same project; soft-deleted rows only with ``show_deleted``.
* ``*_get`` raises the matching ``karbor.exception.*NotFound``.
* ``*_create`` takes a dict of column values (an ``id`` is generated when
  missing) and returns the new row; ``*_update`` takes the changed values
  and returns the row; ``*_destroy`` soft-deletes and returns the row.
* ``*_get_all(context, marker=None, limit=None, sort_keys=None,
  sort_dirs=None, filters=None, offset=None)`` returns a list of rows.
  ``marker`` is the id of the last row of the previous page; the default
  order is ``created_at``, ``id``, newest first; an unknown sort key or
  direction raises ``InvalidInput``. Filters follow upstream: plans match
  ``project_id``/``status`` exactly and ``name``/``description`` by
  regular expression (a substring when the value is not one); triggers and
  scheduled operations likewise (see the implementation); restores,
  verifications, operation logs and the other tables match every key
  exactly and return nothing for a key that is not a column.
* ``*_get_all_by_project(context, project_id, ...)`` does the same within
  one project; a non-admin context asking for another project gets
  ``NotAuthorized``.
* JSON columns (plan parameters, resource extra info, restore parameters
  and statuses, trigger properties, operation definitions) are given and
  returned as Python values.
* Row objects expose their columns as attributes; ``Plan`` rows also have
  ``resources`` (``Resource`` rows) and scheduled operation rows
  ``trigger``.
"""

import abc
import threading

_LOCK = threading.Lock()
_INSTANCE = {}


def get_instance():
    """The process-wide database API implementation."""
    with _LOCK:
        if 'impl' not in _INSTANCE:
            # Imported late: the implementation pulls in SQLAlchemy and
            # oslo.db, which processes that never touch the DB skip.
            from karbor.db.sqlalchemy import api as sqlalchemy_api
            _INSTANCE['impl'] = sqlalchemy_api.get_backend()
        return _INSTANCE['impl']


class Connection(metaclass=abc.ABCMeta):
    """Abstract database API. See the module docstring for conventions."""

    @abc.abstractmethod
    def transaction(self):
        """A context manager: one writing transaction for a group of calls.

        The calls this thread makes inside it share one transaction,
        committed when the block ends and rolled back if it raises. Keep
        the block to database calls: on SQLite it holds the write lock.
        """

    # --- services ----------------------------------------------------------

    @abc.abstractmethod
    def service_get(self, context, service_id):
        """The service with this integer id."""

    @abc.abstractmethod
    def service_get_by_host_and_topic(self, context, host, topic):
        """The enabled service on ``host`` listening on ``topic``."""

    @abc.abstractmethod
    def service_get_by_args(self, context, host, binary):
        """The service ``binary`` on ``host``; ``HostBinaryNotFound``."""

    @abc.abstractmethod
    def service_get_all(self, context, filters=None):
        """Services matching exact filters (host, binary, topic, disabled)."""

    @abc.abstractmethod
    def service_get_all_by_topic(self, context, topic, disabled=None):
        """Services on ``topic``, optionally only (not) disabled ones."""

    @abc.abstractmethod
    def service_create(self, context, values):
        """Register a service."""

    @abc.abstractmethod
    def service_update(self, context, service_id, values):
        """Update a service (reports, enable/disable)."""

    @abc.abstractmethod
    def service_destroy(self, context, service_id):
        """Soft-delete a service."""

    # --- plans -------------------------------------------------------------

    @abc.abstractmethod
    def plan_get(self, context, plan_id):
        """A plan with its ``resources``; ``PlanNotFound``."""

    @abc.abstractmethod
    def plan_get_all(self, context, marker=None, limit=None, sort_keys=None,
                     sort_dirs=None, filters=None, offset=None):
        """Plans (all projects for admins, else the caller's)."""

    @abc.abstractmethod
    def plan_get_all_by_project(self, context, project_id, marker=None,
                                limit=None, sort_keys=None, sort_dirs=None,
                                filters=None, offset=None):
        """Plans of one project."""

    @abc.abstractmethod
    def plan_create(self, context, values):
        """Create a plan.

        ``values['resources']`` is a list of ``{"id", "type", "name",
        "extra_info"}`` dicts.
        """

    @abc.abstractmethod
    def plan_update(self, context, plan_id, values):
        """Update a plan; a ``resources`` key replaces its resources."""

    @abc.abstractmethod
    def plan_resources_update(self, context, plan_id, resources):
        """Replace the resources of a plan; returns the new rows."""

    @abc.abstractmethod
    def plan_destroy(self, context, plan_id):
        """Soft-delete a plan and its resources."""

    # --- restores ----------------------------------------------------------

    @abc.abstractmethod
    def restore_get(self, context, restore_id):
        """A restore; ``RestoreNotFound``."""

    @abc.abstractmethod
    def restore_get_all(self, context, marker=None, limit=None,
                        sort_keys=None, sort_dirs=None, filters=None,
                        offset=None):
        """Restores (column filters, exact)."""

    @abc.abstractmethod
    def restore_get_all_by_project(self, context, project_id, marker=None,
                                   limit=None, sort_keys=None,
                                   sort_dirs=None, filters=None,
                                   offset=None):
        """Restores of one project."""

    @abc.abstractmethod
    def restore_create(self, context, values):
        """Create a restore."""

    @abc.abstractmethod
    def restore_update(self, context, restore_id, values):
        """Update a restore."""

    @abc.abstractmethod
    def restore_destroy(self, context, restore_id):
        """Soft-delete a restore."""

    @abc.abstractmethod
    def restore_update_resource_status(self, context, restore_id, key,
                                       status, reason=None):
        """Set the status of one resource of a restore atomically.

        Sets ``resources_status[key]`` and ``resources_reason[key]`` (the
        reason is dropped when ``reason`` is None); returns the row.
        """

    # --- verifications -----------------------------------------------------

    @abc.abstractmethod
    def verification_get(self, context, verification_id):
        """A verification; ``VerificationNotFound``."""

    @abc.abstractmethod
    def verification_get_all(self, context, marker=None, limit=None,
                             sort_keys=None, sort_dirs=None, filters=None,
                             offset=None):
        """Verifications (column filters, exact)."""

    @abc.abstractmethod
    def verification_get_all_by_project(self, context, project_id,
                                        marker=None, limit=None,
                                        sort_keys=None, sort_dirs=None,
                                        filters=None, offset=None):
        """Verifications of one project."""

    @abc.abstractmethod
    def verification_create(self, context, values):
        """Create a verification."""

    @abc.abstractmethod
    def verification_update(self, context, verification_id, values):
        """Update a verification."""

    @abc.abstractmethod
    def verification_destroy(self, context, verification_id):
        """Soft-delete a verification."""

    @abc.abstractmethod
    def verification_update_resource_status(self, context, verification_id,
                                            key, status, reason=None):
        """As ``restore_update_resource_status``, for a verification."""

    # --- operation logs ----------------------------------------------------

    @abc.abstractmethod
    def operation_log_get(self, context, operation_log_id):
        """An operation log; ``OperationLogNotFound``."""

    @abc.abstractmethod
    def operation_log_get_all(self, context, marker=None, limit=None,
                              sort_keys=None, sort_dirs=None, filters=None,
                              offset=None):
        """Operation logs (column filters, exact)."""

    @abc.abstractmethod
    def operation_log_get_all_by_project(self, context, project_id,
                                         marker=None, limit=None,
                                         sort_keys=None, sort_dirs=None,
                                         filters=None, offset=None):
        """Operation logs of one project."""

    @abc.abstractmethod
    def operation_log_create(self, context, values):
        """Create an operation log."""

    @abc.abstractmethod
    def operation_log_update(self, context, operation_log_id, values):
        """Update an operation log (status, progress in extra_info)."""

    @abc.abstractmethod
    def operation_log_destroy(self, context, operation_log_id):
        """Soft-delete an operation log."""

    # --- checkpoint records ------------------------------------------------

    @abc.abstractmethod
    def checkpoint_record_get(self, context, checkpoint_record_id):
        """A checkpoint record; ``CheckpointRecordNotFound``."""

    @abc.abstractmethod
    def checkpoint_record_get_all(self, context, marker=None, limit=None,
                                  sort_keys=None, sort_dirs=None,
                                  filters=None, offset=None):
        """Checkpoint records (column filters, exact)."""

    @abc.abstractmethod
    def checkpoint_record_create(self, context, values):
        """Create a checkpoint record."""

    @abc.abstractmethod
    def checkpoint_record_update(self, context, checkpoint_record_id,
                                 values):
        """Update a checkpoint record."""

    @abc.abstractmethod
    def checkpoint_record_destroy(self, context, checkpoint_record_id):
        """Soft-delete a checkpoint record."""

    # --- checkpoint copies -------------------------------------------------

    @abc.abstractmethod
    def checkpoint_copy_create(self, context, values):
        """Record a copy.

        :raises karbor.exception.CheckpointCopyExists: the (source,
            destination) pair already has one.
        """

    @abc.abstractmethod
    def checkpoint_copy_get(self, context, copy_id):
        """A copy by its copy checkpoint id; ``CheckpointCopyNotFound``."""

    @abc.abstractmethod
    def checkpoint_copy_get_all(self, context, marker=None, limit=None,
                                sort_keys=None, sort_dirs=None,
                                filters=None, offset=None):
        """Copies, with exact filters.

        Filter keys: ``project_id``, ``provider_id``, ``plan_id``,
        ``destination``, ``status``, ``source_checkpoint_id``, ``host``
        and ``request_id``; a list value matches any of its items.
        """

    @abc.abstractmethod
    def checkpoint_copy_update(self, context, copy_id, values):
        """Update a copy (status, host, logs)."""

    @abc.abstractmethod
    def checkpoint_copy_claim_for_retry(self, context, copy_id, values):
        """Apply ``values`` only if the copy is in ``error``.

        :returns: whether this call won the claim (one concurrent caller
            at most does).
        """

    @abc.abstractmethod
    def checkpoint_copy_destroy(self, context, copy_id):
        """Delete a copy for good, so its source can be copied again."""

    # --- triggers ----------------------------------------------------------

    @abc.abstractmethod
    def trigger_get(self, context, trigger_id):
        """A trigger; ``TriggerNotFound``."""

    @abc.abstractmethod
    def trigger_get_all(self, context, marker=None, limit=None,
                        sort_keys=None, sort_dirs=None, filters=None,
                        offset=None):
        """Triggers.

        ``project_id`` and ``type`` match exactly, ``name`` and
        ``properties`` by regular expression.
        """

    @abc.abstractmethod
    def trigger_create(self, context, values):
        """Create a trigger."""

    @abc.abstractmethod
    def trigger_update(self, context, trigger_id, values):
        """Update a trigger."""

    @abc.abstractmethod
    def trigger_destroy(self, context, trigger_id):
        """Soft-delete a trigger."""

    @abc.abstractmethod
    def trigger_execution_create(self, context, trigger_id, time):
        """Record the next execution time of a trigger."""

    @abc.abstractmethod
    def trigger_execution_get_next(self, context):
        """The earliest pending trigger execution, or None."""

    @abc.abstractmethod
    def trigger_execution_update(self, context, execution_id, current_time,
                                 new_time):
        """Move an execution from ``current_time`` to ``new_time``.

        Returns False when another engine moved it first.
        """

    @abc.abstractmethod
    def trigger_execution_delete(self, context, execution_id=None,
                                 trigger_id=None):
        """Delete executions by id and/or trigger; returns the count."""

    # --- scheduled operations ----------------------------------------------

    @abc.abstractmethod
    def scheduled_operation_get(self, context, operation_id):
        """A scheduled operation with its ``trigger``."""

    @abc.abstractmethod
    def scheduled_operation_get_all(self, context, marker=None, limit=None,
                                    sort_keys=None, sort_dirs=None,
                                    filters=None, offset=None):
        """Scheduled operations.

        ``project_id``, ``operation_type`` and ``trigger_id`` match
        exactly, ``name`` and ``operation_definition`` by regexp.
        """

    @abc.abstractmethod
    def scheduled_operation_create(self, context, values):
        """Create a scheduled operation."""

    @abc.abstractmethod
    def scheduled_operation_update(self, context, operation_id, values):
        """Update a scheduled operation."""

    @abc.abstractmethod
    def scheduled_operation_destroy(self, context, operation_id):
        """Soft-delete a scheduled operation."""

    @abc.abstractmethod
    def scheduled_operation_state_get(self, context, operation_id):
        """The state row of a scheduled operation (by operation id)."""

    @abc.abstractmethod
    def scheduled_operation_state_get_all(self, context, marker=None,
                                          limit=None, sort_keys=None,
                                          sort_dirs=None, filters=None,
                                          offset=None):
        """Scheduled operation states (column filters, exact)."""

    @abc.abstractmethod
    def scheduled_operation_state_create(self, context, values):
        """Create the state row of a scheduled operation."""

    @abc.abstractmethod
    def scheduled_operation_state_update(self, context, operation_id,
                                         values):
        """Update the state row of a scheduled operation."""

    @abc.abstractmethod
    def scheduled_operation_state_delete(self, context, operation_id):
        """Soft-delete the state row of a scheduled operation."""

    @abc.abstractmethod
    def scheduled_operation_log_get(self, context, log_id):
        """A scheduled operation execution log (integer id)."""

    @abc.abstractmethod
    def scheduled_operation_log_get_all(self, context, marker=None,
                                        limit=None, sort_keys=None,
                                        sort_dirs=None, filters=None,
                                        offset=None):
        """Execution logs (column filters, exact)."""

    @abc.abstractmethod
    def scheduled_operation_log_create(self, context, values):
        """Create an execution log."""

    @abc.abstractmethod
    def scheduled_operation_log_update(self, context, log_id, values):
        """Update an execution log."""

    @abc.abstractmethod
    def scheduled_operation_log_delete(self, context, log_id):
        """Soft-delete an execution log."""

    @abc.abstractmethod
    def scheduled_operation_log_delete_oldest(self, context, operation_id,
                                              retained_num,
                                              excepted_states=()):
        """Keep the newest ``retained_num`` logs of an operation.

        Logs in ``excepted_states`` are neither counted nor deleted.
        """

    # --- quotas ------------------------------------------------------------

    @abc.abstractmethod
    def quota_get(self, context, project_id, resource):
        """A project's quota row; ``ProjectQuotaNotFound``."""

    @abc.abstractmethod
    def quota_get_all_by_project(self, context, project_id):
        """``{"project_id": id, <resource>: hard_limit, ...}``."""

    @abc.abstractmethod
    def quota_set(self, context, project_id, resource, limit):
        """Create or update a project's limit for a resource."""

    @abc.abstractmethod
    def quota_destroy_all_by_project(self, context, project_id):
        """Drop a project's limits, usages and reservations."""

    @abc.abstractmethod
    def quota_class_get_all_by_name(self, context, class_name):
        """``{"class_name": name, <resource>: hard_limit, ...}``."""

    @abc.abstractmethod
    def quota_class_set(self, context, class_name, resource, limit):
        """Create or update a quota class limit."""

    @abc.abstractmethod
    def quota_class_destroy_all_by_name(self, context, class_name):
        """Drop every limit of a quota class."""

    @abc.abstractmethod
    def quota_usage_get_all_by_project(self, context, project_id):
        """``{"project_id": id, <resource>: {"in_use", "reserved"}}``."""

    @abc.abstractmethod
    def quota_reserve(self, context, limits, deltas, expire, project_id):
        """Check ``deltas`` against ``limits`` and reserve them, atomically.

        ``limits`` is ``{resource: limit}`` (-1: unlimited); the
        reservations expire at ``expire``. Callers retry on deadlock,
        with the transaction it may run in (see ``transaction``).

        :raises karbor.exception.OverQuota: with ``overs``, ``quotas`` and
            ``usages`` keyword arguments, when a positive delta exceeds its
            limit.
        :returns: the list of reservation uuids.
        """

    @abc.abstractmethod
    def reservation_commit(self, context, reservations, project_id=None):
        """Apply reservations to the usages; returns how many applied."""

    @abc.abstractmethod
    def reservation_rollback(self, context, reservations, project_id=None):
        """Release reservations; returns how many were released."""

    @abc.abstractmethod
    def reservation_expire(self, context, now=None):
        """Roll back every reservation past its expiry time."""
