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

"""The request context: who is calling, for which project, with what roles."""

import copy

from oslo_context import context
from oslo_utils import timeutils

from karbor import policy


class RequestContext(context.RequestContext):
    """Security context and request information.

    Represents the user taking a given action within the system. On top of
    oslo.context it keeps the service catalog (plugins use it to find the
    services whose resources they protect) and a timestamp.
    """

    def __init__(self, service_catalog=None, timestamp=None, **kwargs):
        super().__init__(**kwargs)
        self.service_catalog = [
            entry for entry in (service_catalog or [])
            if entry.get('type') in ('identity', 'compute', 'volumev3',
                                     'block-storage', 'image', 'network',
                                     'object-store', 'share', 'database',
                                     'data-protect', 'key-manager')]
        if isinstance(timestamp, str):
            timestamp = timeutils.parse_isotime(timestamp)
        self.timestamp = timestamp or timeutils.utcnow()

    def to_dict(self):
        values = super().to_dict()
        values['service_catalog'] = self.service_catalog
        values['timestamp'] = self.timestamp.isoformat()
        return values

    @classmethod
    def from_dict(cls, values):
        return super().from_dict(
            values,
            service_catalog=values.get('service_catalog'),
            timestamp=values.get('timestamp'))

    def elevated(self, show_deleted=None):
        """Return a copy of this context with the admin flag set."""
        ctx = copy.deepcopy(self)
        ctx.is_admin = True
        if 'admin' not in ctx.roles:
            ctx.roles.append('admin')
        if show_deleted is not None:
            ctx.show_deleted = show_deleted
        return ctx

    def can(self, action, target=None, fatal=True):
        """Check a policy rule for this context.

        The default target is the caller's own project and user, so a rule
        like ``project_id:%(project_id)s`` passes for project members. Pass
        an object's fields to check ownership of that object.

        :raises karbor.exception.PolicyNotAuthorized: when denied and
            ``fatal`` is true.
        :returns: whether the rule passed, when ``fatal`` is false.
        """
        full_target = {'project_id': self.project_id,
                       'user_id': self.user_id}
        if target:
            full_target.update(target)
        return policy.authorize(self, action, full_target, do_raise=fatal)


def get_admin_context(show_deleted=False):
    """An admin context not bound to any user or project, for services."""
    return RequestContext(user_id=None, project_id=None, is_admin=True,
                          show_deleted=show_deleted, overwrite=False)
