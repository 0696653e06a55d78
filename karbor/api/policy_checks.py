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

"""Policy checks of the controllers."""

from karbor import exception


def check_object(context, rule, project_id, hide=None):
    """Check ``rule`` on an object of ``project_id``.

    :param hide: an exception raised instead of the denial, so that a
        read refused by policy looks like a missing object (404), as
        upstream does; None lets the 403 through.
    :raises karbor.exception.PolicyNotAuthorized: denied and no ``hide``.
    """
    try:
        context.can(rule, {'project_id': project_id})
    except exception.NotAuthorized:
        if hide is None:
            raise
        raise hide
