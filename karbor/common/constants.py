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

"""Values that appear on the wire, in the bank or in the database.

They are part of upstream Karbor's public contract: clients, existing banks
and existing database rows depend on the exact strings.
"""

# Operation types (protection plugins, flows and operation logs).
OPERATION_PROTECT = 'protect'
OPERATION_RESTORE = 'restore'
OPERATION_VERIFY = 'verify'
OPERATION_DELETE = 'delete'
OPERATION_COPY = 'copy'
OPERATION_TYPES = (
    OPERATION_PROTECT,
    OPERATION_RESTORE,
    OPERATION_VERIFY,
    OPERATION_DELETE,
    OPERATION_COPY,
)

# Scheduled operation types (operation engine).
OPERATION_TYPE_PROTECT = 'protect'
OPERATION_TYPE_RETENTION_PROTECT = 'retention_protect'

# Hooks of a protection plugin's Operation, in the order they run for one
# resource.
HOOK_PREPARE_BEGIN = 'on_prepare_begin'
HOOK_PREPARE_FINISH = 'on_prepare_finish'
HOOK_MAIN = 'on_main'
HOOK_COMPLETE = 'on_complete'
HOOKS = (HOOK_PREPARE_BEGIN, HOOK_PREPARE_FINISH, HOOK_MAIN, HOOK_COMPLETE)

# Checkpoint statuses.
CHECKPOINT_STATUS_ERROR = 'error'
CHECKPOINT_STATUS_PROTECTING = 'protecting'
CHECKPOINT_STATUS_WAIT_COPYING = 'wait_copying'
CHECKPOINT_STATUS_COPYING = 'copying'
CHECKPOINT_STATUS_COPY_FINISHED = 'finished'
CHECKPOINT_STATUS_AVAILABLE = 'available'
CHECKPOINT_STATUS_DELETING = 'deleting'
CHECKPOINT_STATUS_DELETED = 'deleted'
CHECKPOINT_STATUS_ERROR_DELETING = 'error-deleting'
CHECKPOINT_STATUSES = (
    CHECKPOINT_STATUS_ERROR,
    CHECKPOINT_STATUS_PROTECTING,
    CHECKPOINT_STATUS_WAIT_COPYING,
    CHECKPOINT_STATUS_COPYING,
    CHECKPOINT_STATUS_COPY_FINISHED,
    CHECKPOINT_STATUS_AVAILABLE,
    CHECKPOINT_STATUS_DELETING,
    CHECKPOINT_STATUS_DELETED,
    CHECKPOINT_STATUS_ERROR_DELETING,
)
# Statuses a checkpoint may be deleted from.
CHECKPOINT_DELETABLE_STATUSES = (
    CHECKPOINT_STATUS_AVAILABLE,
    CHECKPOINT_STATUS_ERROR,
)
# States an operator may force with os-resetState.
CHECKPOINT_RESET_TARGETS = (
    CHECKPOINT_STATUS_AVAILABLE,
    CHECKPOINT_STATUS_ERROR,
)
# The key of a checkpoint's extra_info that marks a finished copy.
CHECKPOINT_COPY_STATUS_KEY = 'copy_status'

# Who created a checkpoint (extra_info.created_by).
CHECKPOINT_CREATED_BY_MANUAL = 'manual'
CHECKPOINT_CREATED_BY_OPERATION_ENGINE = 'operation-engine'

# Per-resource statuses inside a checkpoint.
RESOURCE_STATUS_ERROR = 'error'
RESOURCE_STATUS_PROTECTING = 'protecting'
RESOURCE_STATUS_AVAILABLE = 'available'
RESOURCE_STATUS_RESTORING = 'restoring'
RESOURCE_STATUS_VERIFYING = 'verifying'
RESOURCE_STATUS_DELETING = 'deleting'
RESOURCE_STATUS_DELETED = 'deleted'
RESOURCE_STATUS_COPYING = 'copying'
RESOURCE_STATUS_UNDEFINED = 'undefined'

# Restore statuses.
RESTORE_STATUS_SUCCESS = 'success'
RESTORE_STATUS_FAILURE = 'fail'
RESTORE_STATUS_IN_PROGRESS = 'in_progress'

# Verification statuses.
VERIFICATION_STATUS_SUCCESS = 'success'
VERIFICATION_STATUS_FAILURE = 'fail'
VERIFICATION_STATUS_IN_PROGRESS = 'in_progress'

# Operation log statuses. The protect and delete flows report checkpoint
# statuses; restore, verify and copy report the values below.
OPERATION_LOG_STATUS_SUCCESS = 'success'
OPERATION_LOG_STATUS_ERROR = 'error'
OPERATION_LOG_STATUS_FAIL = 'fail'
OPERATION_LOG_STATUS_IN_PROGRESS = 'in_progress'

# Plan statuses.
PLAN_STATUS_SUSPENDED = 'suspended'
PLAN_STATUS_STARTED = 'started'

# Scheduled operation states.
OPERATION_STATE_INIT = 'init'
OPERATION_STATE_REGISTERED = 'registered'
OPERATION_STATE_RUNNING = 'running'
OPERATION_STATE_DELETED = 'deleted'

# Scheduled operation execution-log states (the misspellings are upstream's
# and are stored in existing databases).
OPERATION_EXE_STATE_IN_PROGRESS = 'in_progress'
OPERATION_EXE_STATE_SUCCESS = 'success'
OPERATION_EXE_STATE_FAILED = 'failed'
OPERATION_EXE_STATE_DROPPED_OUT_OF_WINDOW = 'dropped_out_of_window'
OPERATION_GET_MAX_BACKUP_STATE_FAILED = 'get_max_backup_policy_failed'
OPERATION_EXE_MAX_BACKUP_STATE_SUCCESS = 'excute_max_backup_policy_success'
OPERATION_EXE_MAX_BACKUP_STATE_FAILED = 'excute_max_backup_policy_failed'
OPERATION_GET_DURATION_STATE_FAILED = 'get_duration_policy_failed'
OPERATION_EXE_DURATION_STATE_SUCCESS = 'excute_duration_policy_success'
OPERATION_EXE_DURATION_STATE_FAILED = 'excute_duration_policy_failed'

# Service binaries.
BINARY_API = 'karbor-api'
BINARY_PROTECTION = 'karbor-protection'
BINARY_OPERATIONENGINE = 'karbor-operationengine'

# Resource types known to upstream Karbor.
PROJECT_RESOURCE_TYPE = 'OS::Keystone::Project'
SERVER_RESOURCE_TYPE = 'OS::Nova::Server'
VOLUME_RESOURCE_TYPE = 'OS::Cinder::Volume'
IMAGE_RESOURCE_TYPE = 'OS::Glance::Image'
SHARE_RESOURCE_TYPE = 'OS::Manila::Share'
NETWORK_RESOURCE_TYPE = 'OS::Neutron::Network'
DATABASE_RESOURCE_TYPE = 'OS::Trove::Instance'
POD_RESOURCE_TYPE = 'OS::Kubernetes::Pod'
RESOURCE_TYPES = (
    PROJECT_RESOURCE_TYPE,
    SERVER_RESOURCE_TYPE,
    VOLUME_RESOURCE_TYPE,
    IMAGE_RESOURCE_TYPE,
    SHARE_RESOURCE_TYPE,
    NETWORK_RESOURCE_TYPE,
    DATABASE_RESOURCE_TYPE,
    POD_RESOURCE_TYPE,
)

# Quota resources.
QUOTA_PLANS = 'plans'
QUOTA_CHECKPOINTS = 'checkpoints'
