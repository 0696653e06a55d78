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

"""Base rules and the persona check strings every resource policy uses.

Defaults follow the project personas of Keystone's default roles: a project
*reader* may look, a project *member* may change things, and an *admin* may
do anything in any project. Upstream Karbor's base rule names are kept so
that existing policy files that refer to them keep working.
"""

from oslo_policy import policy

# The noauth middleware builds contexts with is_admin=True, and services
# build them with karbor.context.get_admin_context(), which carries no role
# at all; both must be treated as admin, as must a Keystone admin token.
ADMIN = 'rule:admin_api'
PROJECT_MEMBER = 'role:member and project_id:%(project_id)s'
PROJECT_READER = 'role:reader and project_id:%(project_id)s'
PROJECT_MEMBER_OR_ADMIN = '%s or (%s)' % (ADMIN, PROJECT_MEMBER)
PROJECT_READER_OR_ADMIN = '%s or (%s)' % (ADMIN, PROJECT_READER)

# What upstream Karbor used for every resource rule; kept as the deprecated
# default so that operators may still opt out of the persona defaults with
# [oslo_policy] enforce_new_defaults = False.
LEGACY_OWNER = 'rule:admin_or_owner'

DEPRECATED_REASON = (
    'Karbor now uses the project reader and member personas of the '
    'Keystone default roles instead of project ownership alone.')
DEPRECATED_SINCE = '2026.2'

PROJECT_SCOPE = ['project']

rules = [
    policy.RuleDefault(
        'context_is_admin', 'role:admin',
        description='Decides whether a request context is an admin '
                    'context.'),
    policy.RuleDefault(
        'admin_api', 'is_admin:True or rule:context_is_admin',
        description='Default rule for administrative APIs: an admin '
                    'context or the admin role.'),
    policy.RuleDefault(
        'admin_or_owner', 'rule:admin_api or project_id:%(project_id)s',
        description='An admin, or any user of the project that owns the '
                    'object. Upstream default of every resource rule.'),
    policy.RuleDefault(
        'default', 'rule:admin_or_owner',
        description='Used for any rule that has no explicit default.'),
]


def deprecated_legacy(name):
    """The upstream default of ``name``, for a persona-based replacement."""
    return policy.DeprecatedRule(
        name=name, check_str=LEGACY_OWNER,
        deprecated_reason=DEPRECATED_REASON,
        deprecated_since=DEPRECATED_SINCE)


def project_rule(name, check_str, description, operations,
                 legacy=True):
    """A project-scoped documented rule.

    :param legacy: when true the rule records upstream's
        ``rule:admin_or_owner`` as its deprecated default.
    """
    return policy.DocumentedRuleDefault(
        name=name,
        check_str=check_str,
        description=description,
        operations=[{'method': method, 'path': path}
                    for method, path in operations],
        scope_types=PROJECT_SCOPE,
        deprecated_rule=deprecated_legacy(name) if legacy else None)


def list_rules():
    return rules
