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

"""Policy enforcement: the enforcer's lifecycle and the checks the API uses.

The rules themselves are defined in code in :mod:`karbor.policies`; an
operator's policy file only needs to hold the rules it changes.
"""

import threading

from oslo_log import log as logging
from oslo_policy import policy as oslo_policy

from karbor import conf
from karbor import exception
from karbor import policies

CONF = conf.CONF
LOG = logging.getLogger(__name__)

_ENFORCER = None
_LOCK = threading.Lock()


def init(policy_file=None, rules=None, default_rule=None, use_conf=True):
    """Create the global enforcer once, from CONF, and return it.

    Later calls return the existing enforcer and ignore their arguments;
    call :func:`reset` first to build a different one (tests do).
    """
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is None:
            enforcer = oslo_policy.Enforcer(
                CONF, policy_file=policy_file, rules=rules,
                default_rule=default_rule, use_conf=use_conf)
            enforcer.register_defaults(policies.list_rules())
            enforcer.load_rules()
            _ENFORCER = enforcer
        return _ENFORCER


def reset():
    """Forget the global enforcer; the next check builds a new one."""
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is not None:
            _ENFORCER.clear()
        _ENFORCER = None


def get_enforcer():
    """Entry point ``oslo.policy.enforcer`` for the oslopolicy-* tools.

    The tools call this in a process that has not parsed Karbor's
    configuration yet; parse it without command-line arguments (theirs are
    not ours) so that the policy file options are known.
    """
    CONF([], project='karbor')
    return init()


def _credentials(context):
    # oslo.context leaves is_admin out of the policy values, but the
    # admin_api rule needs it: noauth and service contexts are admin by flag
    # rather than by role. A plain dict also avoids the deprecation warning
    # the context's mapping raises for keys added after its creation.
    credentials = dict(context.to_policy_values())
    credentials['is_admin'] = context.is_admin
    return credentials


def authorize(context, action, target, do_raise=True):
    """Check ``action`` for ``context`` on ``target``.

    :param context: a :class:`karbor.context.RequestContext`.
    :param action: a rule name registered in :mod:`karbor.policies`, such
        as ``plan:get``.
    :param target: the object's attributes, at least its ``project_id``.
    :param do_raise: raise on denial instead of returning False.
    :raises karbor.exception.PolicyNotAuthorized: when denied (a request
        made with the wrong token scope is denied too) and ``do_raise``.
    :raises oslo_policy.policy.PolicyNotRegistered: when ``action`` is not
        a known rule, a programming error.
    :returns: whether the action is allowed.
    """
    enforcer = init()
    credentials = _credentials(context)
    try:
        return enforcer.authorize(
            action, target, credentials, do_raise=do_raise,
            exc=exception.PolicyNotAuthorized, action=action)
    except oslo_policy.InvalidScope:
        LOG.debug('Policy %(action)s denied: wrong token scope for '
                  '%(credentials)s', {'action': action,
                                      'credentials': credentials})
        if do_raise:
            raise exception.PolicyNotAuthorized(action=action)
        return False
    except exception.PolicyNotAuthorized:
        LOG.debug('Policy %(action)s denied for %(credentials)s',
                  {'action': action, 'credentials': credentials})
        raise


def check_is_admin(context):
    """Whether the roles of ``context`` make it an admin context."""
    target = {'project_id': context.project_id, 'user_id': context.user_id}
    return bool(init().authorize('context_is_admin', target,
                                 _credentials(context), do_raise=False))
