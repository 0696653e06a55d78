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

"""The API reference's samples are what a running karbor-all answers.

One story drives every documented v1 operation against a real karbor-all
and compares each request and response body with its sample file under
``api-ref/source/samples/<resource>/``, after volatile values (ids, dates,
the server's address) have been replaced by fixed ones. With
``KARBOR_WRITE_API_SAMPLES=1`` in the environment the sample files are
(re)written instead, so the reference is regenerated, never hand-edited.
"""

import datetime
import difflib
import json
import os
import re
import sqlite3
import time

import fixtures

from karbor.tests.functional import base

WRITE_ENV = 'KARBOR_WRITE_API_SAMPLES'

SAMPLES_DIR = os.path.abspath(os.path.join(
    os.path.dirname(__file__), '..', '..', '..', 'api-ref', 'source',
    'samples'))

# The resource directories this test owns; a file in one of them that no
# request produced is a stale sample.
RESOURCES = ('checkpoints', 'operation_logs', 'plans', 'protectables',
             'providers', 'quota_classes', 'quotas', 'restores', 'services',
             'verifications', 'versions')

PROJECT_TYPE = 'OS::Keystone::Project'
# Keystone project ids are 32 hex digits; the no-auth token names one.
PROJECT_ID = '6a9b3f1c2d4e4f5a8b7c9d0e1f2a3b4c'
SAMPLE_URL = 'http://karbor.example.org:8799'
SAMPLE_HOST = 'karbor-host'

_UUID_RE = re.compile(r'\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?'
                      r'[0-9a-f]{4}-?[0-9a-f]{12}\b')
_DATE_RE = re.compile(r'^\d{4}-\d{2}-\d{2}$')
_DATETIME_RE = re.compile(r'^(\d{4}-\d{2}-\d{2})([T ])(\d{2}:\d{2}:\d{2})'
                          r'(\.\d+)?(Z|[+-]\d{2}:\d{2})?$')
_SAMPLE_DATE = '2026-01-15'
_SAMPLE_TIME = datetime.datetime(2026, 1, 15, 10, 0, 0)

_CONFIG = """[DEFAULT]
host = %s
report_interval = 1
""" % SAMPLE_HOST


class Normaliser:
    """Replace what changes from run to run by fixed values.

    Ids a test names (``name(value, placeholder)``) become that
    placeholder everywhere; other UUIDs get a placeholder per distinct
    value, in order of appearance. Dates become one fixed date and
    timestamps fixed times one second apart, in order of appearance, so
    that a start still comes before its end. The mappings live as long as
    the normaliser, so an id is the same in every sample of a run.
    """

    def __init__(self, url, keep=()):
        self.url = url
        self.names = {value: value for value in keep}
        self.times = {}
        self._anonymous = 0

    def name(self, value, placeholder):
        """Show ``value`` (an id) as ``placeholder`` in the samples."""
        self.names[value] = placeholder
        return value

    def _uuid(self, match):
        value = match.group(0)
        if value not in self.names:
            self._anonymous += 1
            self.names[value] = ('00000000-0000-4000-8000-%012d'
                                 % self._anonymous)
        return self.names[value]

    def _time(self, match):
        text = match.group(0)
        if text not in self.times:
            stamp = _SAMPLE_TIME + datetime.timedelta(seconds=len(self.times))
            _date, sep, _clock, fraction, zone = match.groups()
            shown = stamp.strftime('%Y-%m-%d' + sep + '%H:%M:%S')
            if fraction:
                shown += '.' + '0' * (len(fraction) - 1)
            self.times[text] = shown + (zone or '')
        return self.times[text]

    def _text(self, text):
        if _DATE_RE.match(text):
            return _SAMPLE_DATE
        match = _DATETIME_RE.match(text)
        if match:
            return self._time(match)
        text = text.replace(self.url, SAMPLE_URL)
        if text.startswith(('[', '{')):
            # A JSON document in a string (resource_graph, extra_info):
            # normalise its values too, and show it as the API writes it.
            try:
                inner = json.loads(text)
            except ValueError:
                pass
            else:
                return json.dumps(self(inner))
        return _UUID_RE.sub(self._uuid, text)

    def __call__(self, value):
        if isinstance(value, dict):
            return {self._text(key): self(item)
                    for key, item in value.items()}
        if isinstance(value, list):
            return [self(item) for item in value]
        if isinstance(value, str):
            return self._text(value)
        return value


class Samples:
    """Compare bodies with sample files, or write them.

    Bodies are kept until ``finish()``, so that an id named after it first
    appeared (a create answer, before the test knows the new id) is shown
    with its placeholder in every sample.
    """

    def __init__(self, normaliser, write):
        self.normalise = normaliser
        self.write = write
        self.pending = []
        self.used = set()
        self.mismatches = []

    @staticmethod
    def path(name):
        return os.path.join(SAMPLES_DIR, name + '.json')

    def check(self, name, body):
        """Have sample ``name`` compared with (or set to) ``body``."""
        self.pending.append((name, body))

    def finish(self):
        """Normalise the bodies; write them or list the mismatches."""
        for name, body in self.pending:
            self._check(self.path(name), self.normalise(body))
        self.pending = []

    def _check(self, path, actual):
        self.used.add(path)
        text = json.dumps(actual, indent=4) + '\n'
        if self.write:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as f:
                f.write(text)
            return
        try:
            with open(path) as f:
                expected = json.load(f)
        except FileNotFoundError:
            self.mismatches.append('%s: no such sample' % path)
            return
        if expected != actual:
            diff = difflib.unified_diff(
                json.dumps(expected, indent=4).splitlines(),
                text.splitlines(), 'sample', 'answer', lineterm='')
            self.mismatches.append('%s differs:\n%s'
                                   % (path, '\n'.join(diff)))

    def stale(self):
        """Sample files of our resources that no request produced."""
        found = set()
        for resource in RESOURCES:
            directory = os.path.join(SAMPLES_DIR, resource)
            if os.path.isdir(directory):
                found.update(os.path.join(directory, name)
                             for name in os.listdir(directory)
                             if name.endswith('.json'))
        return sorted(found - self.used)


class TestApiSamples(base.FunctionalTestCase):
    """Every documented operation, once, in the order a user meets them."""

    def setUp(self):
        super().setUp()
        state_dir = self.useFixture(fixtures.TempDir()).path
        config = os.path.join(state_dir, 'karbor.conf')
        with open(config, 'w') as f:
            f.write(_CONFIG)
        self.karbor = self.start_karbor(state_dir=state_dir,
                                        config_file=config)
        self.api = self.karbor.client(project_id=PROJECT_ID)
        self.normaliser = Normaliser(
            self.karbor.url, keep=(PROJECT_ID, base.NOOP_PROVIDER_ID))
        self.samples = Samples(self.normaliser,
                               write=os.environ.get(WRITE_ENV) == '1')

    def call(self, sample, method, path, body=None, status=200, api=None,
             request_sample=True, response_sample=True):
        """Make a request, check its status and its samples.

        ``sample`` is ``<resource>/<operation>``; the request body is
        compared with ``<sample>-req.json`` and a non-empty response body
        with ``<sample>-resp.json``, unless told not to.
        """
        api = api or self.api
        try:
            code, answer = api.request(method, path, body)
        except base.ApiError as e:
            code, answer = e.status, e.body
        self.assertEqual(status, code, '%s %s: %s' % (method, path, answer))
        if sample and body is not None and request_sample:
            self.samples.check(sample + '-req', body)
        if sample and answer and response_sample:
            self.samples.check(sample + '-resp', answer)
        return answer

    def _wait(self, path, key, values):
        item = self.api.wait_for(path, key, 'status', values)
        self.assertIn(item['status'], values)
        return item

    def test_samples(self):
        self._versions()
        self._providers()
        instance = self._protectables()
        plan_id = self._plans(instance)
        checkpoint_id = self._checkpoints(plan_id)
        self._quotas()
        self._quota_classes()
        self._restores(checkpoint_id)
        self._verifications(checkpoint_id)
        self._operation_logs(checkpoint_id)
        self._refusals(plan_id, checkpoint_id)
        self._services()

        self.samples.finish()
        problems = list(self.samples.mismatches)
        if not self.samples.write:
            problems += ['%s: stale, no request produced it' % path
                         for path in self.samples.stale()]
        self.assertEqual([], problems,
                         'run with %s=1 to rewrite the samples after a '
                         'deliberate change:\n%s'
                         % (WRITE_ENV, '\n\n'.join(problems)))

    def _versions(self):
        root = base.ApiClient(self.karbor.url, token=self.api.token,
                              project_id=None)
        self.call('versions/versions-list', 'GET', '/', status=300,
                  api=root)
        self.call('versions/version-v1-show', 'GET', '/v1/', api=root)

    def _providers(self):
        # Provider ids come from configuration files: they are not
        # volatile and are shown as they are.
        for provider in self.api.get('/providers')['providers']:
            self.normaliser.name(provider['id'], provider['id'])
        # The filter keeps the sample to the provider karbor-all always
        # has, whatever others are configured.
        listed = self.call('providers/providers-list', 'GET',
                           '/providers?name=No-Op%20Provider')
        self.assertEqual([base.NOOP_PROVIDER_ID],
                         [p['id'] for p in listed['providers']])
        self.call('providers/provider-show', 'GET',
                  '/providers/%s' % base.NOOP_PROVIDER_ID)

    def _protectables(self):
        types = self.call('protectables/protectables-list', 'GET',
                          '/protectables')['protectable_type']
        self.assertIn(PROJECT_TYPE, types)
        self.call('protectables/protectable-show', 'GET',
                  '/protectables/%s' % PROJECT_TYPE)
        self.call('protectables/instances-list', 'GET',
                  '/protectables/%s/instances' % PROJECT_TYPE)
        return self.call('protectables/instance-show', 'GET',
                         '/protectables/%s/instances/%s'
                         % (PROJECT_TYPE, PROJECT_ID))['instance']

    def _plans(self, instance):
        plan = self.call('plans/plan-create', 'POST', '/plans', {'plan': {
            'name': 'My project',
            'description': 'The whole project, every night',
            'provider_id': base.NOOP_PROVIDER_ID,
            'resources': [{'id': instance['id'], 'type': instance['type'],
                           'name': instance['name']}],
            'parameters': {PROJECT_TYPE: {}},
        }})['plan']
        plan_id = self.normaliser.name(
            plan['id'], '3f6e0a4b-7c1d-4e2f-9a8b-5c6d7e8f9a0b')
        self.assertEqual('suspended', plan['status'])
        self.call('plans/plans-list', 'GET', '/plans')
        self.call('plans/plan-show', 'GET', '/plans/%s' % plan_id)
        updated = self.call('plans/plan-update', 'PUT',
                            '/plans/%s' % plan_id,
                            {'plan': {'name': 'My project, nightly',
                                      'description': 'Kept for a week'}})
        self.assertEqual('My project, nightly', updated['plan']['name'])
        return plan_id

    def _checkpoints(self, plan_id):
        path = '/providers/%s/checkpoints' % base.NOOP_PROVIDER_ID
        created = self.call('checkpoints/checkpoint-create', 'POST', path,
                            {'checkpoint': {
                                'plan_id': plan_id,
                                'extra-info': {'reason': 'before upgrade'}}})
        checkpoint = created['checkpoint']
        self.assertIsInstance(checkpoint['resource_graph'], str)
        checkpoint_id = self.normaliser.name(
            checkpoint['id'], 'c5b2e4a1-9d3f-4b6e-8a7c-1d2e3f4a5b6c')
        self._wait('%s/%s' % (path, checkpoint_id), 'checkpoint',
                   ('available', 'error'))
        listed = self.call('checkpoints/checkpoints-list', 'GET',
                           '%s?plan_id=%s' % (path, plan_id))
        self.assertEqual([checkpoint_id],
                         [c['id'] for c in listed['checkpoints']])
        shown = self.call('checkpoints/checkpoint-show', 'GET',
                          '%s/%s' % (path, checkpoint_id))
        self.assertEqual('available', shown['checkpoint']['status'])
        return checkpoint_id

    def _quotas(self):
        path = '/quotas/%s' % PROJECT_ID
        self.call('quotas/quota-show', 'GET', path)
        detail = self.call('quotas/quota-show-detail', 'GET',
                           path + '/detail')
        self.assertEqual(1, detail['quota']['plans']['in_use'])
        self.call('quotas/quota-defaults', 'GET', path + '/defaults')
        updated = self.call('quotas/quota-update', 'PUT', path,
                            {'quota': {'plans': 20, 'checkpoints': 100}})
        self.assertEqual(20, updated['quota']['plans'])
        self.call('quotas/quota-delete', 'DELETE', path)
        self.assertEqual(50, self.api.get(path)['quota']['plans'])

    def _quota_classes(self):
        self.call('quota_classes/quota-class-show', 'GET',
                  '/quota_classes/default')
        updated = self.call('quota_classes/quota-class-update', 'PUT',
                            '/quota_classes/default',
                            {'quota_class': {'plans': 60}})
        self.assertEqual(60, updated['quota_class']['plans'])

    def _restores(self, checkpoint_id):
        restore = self.call('restores/restore-create', 'POST', '/restores',
                            {'restore': {
                                'provider_id': base.NOOP_PROVIDER_ID,
                                'checkpoint_id': checkpoint_id,
                                'restore_target': None,
                                'restore_auth': None,
                                'parameters': {}}})['restore']
        restore_id = self.normaliser.name(
            restore['id'], '8e1d2c3b-4a5f-4e6d-9c7b-8a9f0e1d2c3b')
        self._wait('/restores/%s' % restore_id, 'restore',
                   ('success', 'fail'))
        self.call('restores/restores-list', 'GET', '/restores')
        shown = self.call('restores/restore-show', 'GET',
                          '/restores/%s' % restore_id)
        self.assertEqual('success', shown['restore']['status'])

    def _verifications(self, checkpoint_id):
        verification = self.call(
            'verifications/verification-create', 'POST', '/verifications',
            {'verification': {'provider_id': base.NOOP_PROVIDER_ID,
                              'checkpoint_id': checkpoint_id,
                              'parameters': {}}})['verification']
        verification_id = self.normaliser.name(
            verification['id'], '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d')
        self._wait('/verifications/%s' % verification_id, 'verification',
                   ('success', 'fail'))
        self.call('verifications/verifications-list', 'GET',
                  '/verifications')
        shown = self.call('verifications/verification-show', 'GET',
                          '/verifications/%s' % verification_id)
        self.assertEqual('success', shown['verification']['status'])

    def _operation_logs(self, checkpoint_id):
        # A project member, not an admin: operation_type is a filter
        # ordinary users may use.
        member = self.karbor.client(project_id=PROJECT_ID,
                                    roles='member,reader')
        logs = self.call('operation_logs/operation-logs-list', 'GET',
                         '/operation_logs?checkpoint_id=%s'
                         '&operation_type=protect' % checkpoint_id,
                         api=member)['operation_logs']
        self.assertEqual(['protect'], [log['operation_type']
                                       for log in logs])
        log_id = self.normaliser.name(
            logs[0]['id'], '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a')
        self.call('operation_logs/operation-log-show', 'GET',
                  '/operation_logs/%s' % log_id)

    def _refusals(self, plan_id, checkpoint_id):
        """Reset-state, delete, and what this tree refuses with a 4xx."""
        path = '/providers/%s/checkpoints/%s' % (base.NOOP_PROVIDER_ID,
                                                 checkpoint_id)
        self.call('checkpoints/checkpoint-reset-state', 'PUT', path,
                  {'os-resetState': {'state': 'error'}},
                  response_sample=False)
        self.call('restores/restore-create-refused', 'POST', '/restores',
                  {'restore': {'provider_id': base.NOOP_PROVIDER_ID,
                               'checkpoint_id': checkpoint_id,
                               'restore_target': None,
                               'parameters': {}}}, status=409,
                  request_sample=False)
        self.call('checkpoints/checkpoint-delete', 'DELETE', path,
                  response_sample=False)
        self._wait(path, 'checkpoint', ('deleted', 'error-deleting'))
        self.call('checkpoints/checkpoint-delete-refused', 'DELETE', path,
                  status=409)
        self.call(None, 'DELETE', '/plans/%s' % plan_id)

    def _services(self):
        # karbor-all runs no operation engine, the one binary that may be
        # switched off: register one so that an update can succeed.
        with sqlite3.connect(os.path.join(self.karbor.state_dir,
                                          'karbor.sqlite')) as db:
            db.execute(
                'INSERT INTO services (host, binary, topic, report_count, '
                'disabled, deleted, created_at, updated_at) '
                'VALUES (?, ?, ?, 1, 0, 0, ?, ?)',
                (SAMPLE_HOST, 'karbor-operationengine',
                 'karbor-operationengine', _utcnow(), _utcnow()))
        db.close()
        services = self._reported_services()
        self.samples.check('services/services-list-resp', services)
        by_binary = {s['binary']: s['id'] for s in services['services']}
        self.call('services/service-update', 'PUT',
                  '/os-services/%s' % by_binary['karbor-operationengine'],
                  {'status': 'disabled', 'disabled_reason': 'maintenance'})
        self.call('services/service-update-refused', 'PUT',
                  '/os-services/%s' % by_binary['karbor-protection'],
                  {'status': 'disabled'}, status=400, request_sample=False)

    def _reported_services(self):
        # Wait for the protection service's first report so that the
        # sample shows an updated_at, as a long-running service has.
        deadline = time.monotonic() + 30
        while True:
            services = self.api.get('/os-services')
            if (all(s['updated_at'] for s in services['services']) or
                    time.monotonic() > deadline):
                return services
            time.sleep(0.2)


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(
        tzinfo=None).isoformat(sep=' ')
