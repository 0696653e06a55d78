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

"""Karbor's policy in code: one module per resource."""

import itertools

from karbor.policies import base
from karbor.policies import copies
from karbor.policies import operation_logs
from karbor.policies import plans
from karbor.policies import protectables
from karbor.policies import providers
from karbor.policies import quota_classes
from karbor.policies import quotas
from karbor.policies import restores
from karbor.policies import scheduled_operations
from karbor.policies import services
from karbor.policies import triggers
from karbor.policies import verifications

_MODULES = (base, plans, restores, protectables, providers, triggers,
            scheduled_operations, operation_logs, verifications, services,
            quotas, quota_classes, copies)


def list_rules():
    """Every default rule, for the enforcer and the oslo.policy tools."""
    return list(itertools.chain.from_iterable(
        module.list_rules() for module in _MODULES))
