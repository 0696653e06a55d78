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

"""The in-process message bus of karbor-all (``karbor-inprocess://``).

karbor-all runs the API and the protection service in one process, and
their RPC goes through oslo.messaging's in-memory "fake" driver. That
driver's listeners look for messages every 50 ms and sleep in between, so
every call from the API waited 25 ms on average, and 50 at worst, before
the protection service saw it: most of the latency of the API requests
that call it (listing checkpoints, creating a plan...).

This driver is the fake driver with one change: a listener waits on a
condition that every delivery signals, and so takes a message as soon as
it is sent. Messages, replies and queues are the fake driver's own; its
exchanges are kept apart from the fake driver's, so the two can be used in
one process.
"""

import threading
import time

import oslo_messaging
from oslo_messaging._drivers import base
from oslo_messaging._drivers import impl_fake

# Signalled (under its lock) by every delivery; _deliveries counts them,
# so that a listener that found nothing waits only if nothing came since.
_DELIVERED = threading.Condition()
_deliveries = 0

# A waiting listener still wakes this often to see whether it was stopped
# (stop() wakes it at once; this only bounds a missed wake-up).
_MAX_WAIT = 1.0


def _delivered():
    global _deliveries
    with _DELIVERED:
        _deliveries += 1
        _DELIVERED.notify_all()


def _delivery_count():
    with _DELIVERED:
        return _deliveries


class _Exchange(impl_fake.FakeExchange):
    def deliver_message(self, *args, **kwargs):
        super().deliver_message(*args, **kwargs)
        _delivered()


class _ExchangeManager(impl_fake.FakeExchangeManager):
    # Class attributes of their own: the fake driver's exchanges are not
    # shared with this driver's.
    _exchanges_lock = threading.Lock()
    _exchanges = {}

    def get_exchange(self, name):
        if name is None:
            name = self._default_exchange
        with self._exchanges_lock:
            return self._exchanges.setdefault(name, _Exchange(name))


class _Listener(impl_fake.FakeListener):
    @base.batch_poll_helper
    def poll(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._stopped.is_set():
            seen = _delivery_count()
            for target in self._targets:
                exchange = self._exchange_manager.get_exchange(
                    target.exchange)
                ctxt, message, reply_q, requeue = exchange.poll(target,
                                                                self._pool)
                if message is not None:
                    return impl_fake.FakeIncomingMessage(ctxt, message,
                                                         reply_q, requeue)
            wait = _MAX_WAIT
            if deadline is not None:
                wait = min(wait, deadline - time.monotonic())
                if wait <= 0:
                    return None
            with _DELIVERED:
                if _deliveries == seen and not self._stopped.is_set():
                    _DELIVERED.wait(wait)
        return None

    def stop(self):
        super().stop()
        with _DELIVERED:
            _DELIVERED.notify_all()


class InProcessDriver(impl_fake.FakeDriver):
    """The fake driver, with listeners woken by each delivery."""

    def __init__(self, conf, url, default_exchange=None,
                 allowed_remote_exmods=None):
        super().__init__(conf, url, default_exchange,
                         allowed_remote_exmods)
        self._exchange_manager = _ExchangeManager(default_exchange)

    def listen(self, target, batch_size, batch_timeout):
        # As the fake driver listens: on the server's queue and on the
        # topic's.
        exchange = target.exchange or self._default_exchange
        targets = [
            oslo_messaging.Target(topic=target.topic, server=target.server,
                                  exchange=exchange),
            oslo_messaging.Target(topic=target.topic, exchange=exchange)]
        return base.PollStyleListenerAdapter(
            _Listener(self._exchange_manager, targets), batch_size,
            batch_timeout)

    def listen_for_notifications(self, targets_and_priorities, pool,
                                 batch_size, batch_timeout):
        targets = [
            oslo_messaging.Target(topic='%s.%s' % (target.topic, priority),
                                  exchange=target.exchange)
            for target, priority in targets_and_priorities]
        return base.PollStyleListenerAdapter(
            _Listener(self._exchange_manager, targets, pool), batch_size,
            batch_timeout)
