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

"""The Python API of checkpoint copy.

Usage with a python-karborclient client::

    from karborclient.v1 import client
    from karbor_copy_client.v1 import copies

    karbor = client.Client(session=session, service_type='data-protect')
    manager = copies.CopyManager(karbor)
    request = manager.create(provider_id, plan_id, destination='az2')
    log = manager.wait(request['id'])      # the final operation log
"""

import json
import time

from karborclient.common.apiclient import exceptions
from karborclient.common import base
from keystoneauth1 import exceptions as ksa_exceptions

# Final statuses of the request's operation log. A copy ends in success or
# error; the others are what older servers and the other operations use.
SUCCESS_STATUSES = ('success', 'available')
FAILURE_STATUSES = ('error', 'fail')
PROGRESS_KEYS = ('objects_done', 'objects_total', 'bytes_done',
                 'bytes_total')

# What a poll meets while the API restarts or a load balancer switches
# over. The copy goes on meanwhile (the protection service resumes it after
# a restart), so waiting goes on too. The first two are the legacy
# HTTPClient's and keystoneauth's connection failures.
TRANSIENT_ERRORS = (exceptions.ConnectionRefused,
                    ksa_exceptions.ConnectionError,
                    exceptions.BadGateway,
                    exceptions.ServiceUnavailable,
                    exceptions.GatewayTimeout)


class CopyTimeout(Exception):
    """The copy did not end in the time given to ``wait``."""

    def __init__(self, copy_id, timeout, operation_log):
        super().__init__('copy %s did not finish within %s seconds'
                         % (copy_id, timeout))
        # The last one seen; None if the service could not be reached.
        self.operation_log = operation_log


def progress(operation_log):
    """The progress counters of an operation log, as a dict.

    ``extra_info`` is a JSON text on the wire (an object on some servers);
    counters it does not hold are left out.
    """
    info = operation_log.get('extra_info')
    if isinstance(info, str):
        try:
            info = json.loads(info)
        except ValueError:
            info = None
    if not isinstance(info, dict):
        return {}
    return {key: info[key] for key in PROGRESS_KEYS
            if isinstance(info.get(key), int)}


class CopyManager(base.Manager):
    """Copy the checkpoints of a plan, and follow the copy.

    :param client: a ``karborclient.v1.client.Client``, or its
        ``http_client`` (a ``SessionClient`` or an ``HTTPClient``).
    """

    def __init__(self, client):
        super().__init__(getattr(client, 'http_client', client))

    def create(self, provider_id, plan_id, parameters=None,
               destination=None):
        """Copy the plan's uncopied checkpoints to a copy destination.

        :param parameters: ``{"<type>" or "<type>#<id>": {key: value}}``
            for the plugins' copy operations.
        :param destination: the name of one of the provider's copy
            destinations; the provider's default when None.
        :returns: the answer's ``copy`` object: ``id`` (an operation log to
            poll), ``status``, ``project_id``, ``provider_id``,
            ``plan_id``, ``parameters``, ``destination`` and
            ``checkpoint_id``, the list of ``{"checkpoint_protect_id",
            "checkpoint_copy_id"}`` pairs.
        :raises karborclient.common.apiclient.exceptions.HttpError: the
            server refused (400, 404, 409, 413, ...).
        """
        request = {'plan_id': plan_id, 'parameters': parameters or {}}
        if destination is not None:
            request['destination'] = destination
        url = '/providers/{provider_id}/checkpoints/action'.format(
            provider_id=provider_id)
        return self._create(url, {'copy': request}, response_key='copy',
                            return_raw=True)

    def get(self, copy_id):
        """The operation log of a copy request, as a dict."""
        url = '/operation_logs/{copy_id}'.format(copy_id=copy_id)
        return self._get(url, response_key='operation_log', return_raw=True)

    def wait(self, copy_id, interval=2.0, timeout=None, on_progress=None,
             on_unreachable=None, unreachable_timeout=600.0,
             sleep=time.sleep, clock=time.monotonic):
        """Poll the copy's operation log until it ends.

        :param on_progress: called with the operation log each time its
            status or progress changes.
        :param timeout: seconds; None waits as long as it takes.
        :param on_unreachable: called with the error each time a poll
            meets one of ``TRANSIENT_ERRORS``; polling goes on.
        :param unreachable_timeout: seconds the service may stay
            unreachable before the error is raised.
        :returns: the final operation log; its ``status`` is one of
            ``SUCCESS_STATUSES`` or ``FAILURE_STATUSES``.
        :raises CopyTimeout: the copy still runs after ``timeout``.
        """
        deadline = None if timeout is None else clock() + timeout
        seen = None
        log = None
        unreachable_since = None
        while True:
            try:
                log = self.get(copy_id)
            except TRANSIENT_ERRORS as exc:
                now = clock()
                if unreachable_since is None:
                    unreachable_since = now
                if now - unreachable_since >= unreachable_timeout:
                    raise
                if deadline is not None and now >= deadline:
                    raise CopyTimeout(copy_id, timeout, log)
                if on_unreachable is not None:
                    on_unreachable(exc)
                sleep(interval)
                continue
            unreachable_since = None
            state = (log.get('status'), sorted(progress(log).items()))
            if on_progress is not None and state != seen:
                on_progress(log)
            seen = state
            if log.get('status') in SUCCESS_STATUSES + FAILURE_STATUSES:
                return log
            if deadline is not None and clock() >= deadline:
                raise CopyTimeout(copy_id, timeout, log)
            sleep(interval)
