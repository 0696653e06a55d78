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

"""API throughput and latency on karbor-all, with a bank full of checkpoints.

The checkpoints are written straight into the file-system bank through the
same CheckpointCollection the protection service uses (running 10,000
protect flows would measure the flows, not the listing), then karbor-all is
started on that state directory and loaded over HTTP from client threads.
Listing is measured on the first page and on a page deep in the bank, with
the bank at a tenth of its size and at full size: a listing that reads
every checkpoint's index would grow tenfold.
"""

import concurrent.futures
import os
import statistics
import tempfile
import time
import uuid

from karbor.cmd import all as karbor_all
from karbor.services.protection import provider as provider_mod
from karbor.tests.functional import base as functional

PROJECT_TYPE = 'OS::Keystone::Project'


def _percentile(sorted_values, fraction):
    index = min(len(sorted_values) - 1,
                int(round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def measure(name, request, count, concurrency):
    """Run ``request(i)`` ``count`` times on ``concurrency`` threads."""
    latencies = []

    def timed(i):
        start = time.perf_counter()
        request(i)
        return time.perf_counter() - start

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        latencies = list(pool.map(timed, range(count)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {'name': name, 'count': count,
            'rps': count / elapsed,
            'p50': _percentile(latencies, 0.50) * 1000,
            'p99': _percentile(latencies, 0.99) * 1000,
            'mean': statistics.fmean(latencies) * 1000}


def fill_bank(state_dir, plan, count):
    """Write ``count`` available checkpoints of ``plan`` into the bank."""
    providers_dir = karbor_all.prepare_state_dir(state_dir)
    config = provider_mod.load_provider_config(
        os.path.join(providers_dir, 'noop.conf'))
    provider = provider_mod.PluggableProtectionProvider(config)
    collection = provider.checkpoint_collection
    for _ in range(count):
        collection.create(plan, {'status': 'available',
                                 'extra_info': {'created_by': 'bench'}})


def _print_table(rows):
    header = ('%-44s %8s %9s %9s %9s %9s'
              % ('operation', 'requests', 'req/s', 'p50 ms', 'p99 ms',
                 'mean ms'))
    print(header)
    print('-' * len(header))
    for r in rows:
        print('%-44s %8d %9.1f %9.2f %9.2f %9.2f'
              % (r['name'], r['count'], r['rps'], r['p50'], r['p99'],
                 r['mean']))


def _create_plan(api):
    return api.post('/plans', {'plan': {
        'name': 'bench', 'provider_id': functional.NOOP_PROVIDER_ID,
        'parameters': {},
        'resources': [{'id': api.project_id, 'type': PROJECT_TYPE,
                       'name': 'bench project'}]}})['plan']


def _listing_rows(fixture, project_id, label, requests, concurrency):
    api = fixture.client(project_id=project_id)
    path = '/providers/%s/checkpoints' % functional.NOOP_PROVIDER_ID
    first = api.get(path + '?limit=100')['checkpoints']
    # A marker half-way down the bank: walk pages to reach it.
    marker = first[-1]['id']
    total = int(label)
    for _ in range(max(0, total // 200 - 1)):
        page = api.get(path + '?limit=100&marker=%s' % marker)
        if not page['checkpoints']:
            break
        marker = page['checkpoints'][-1]['id']
    return [
        measure('list checkpoints, first page (%s in bank)' % label,
                lambda i: api.get(path + '?limit=100'),
                requests, concurrency),
        measure('list checkpoints, deep page (%s in bank)' % label,
                lambda i: api.get(path + '?limit=100&marker=%s' % marker),
                requests, concurrency),
    ]


def run(checkpoints, requests, concurrency):
    rows = []
    with tempfile.TemporaryDirectory(prefix='karbor-bench-') as state_dir:
        project_id = uuid.uuid4().hex
        fixture = functional.KarborAllFixture(state_dir=state_dir)
        fixture.setUp()
        try:
            api = fixture.client(project_id=project_id)
            plan = _create_plan(api)
        finally:
            fixture.cleanUp()
        plan['project_id'] = project_id

        small = max(1, checkpoints // 10)
        for target, done in ((small, 0), (checkpoints, small)):
            started = time.perf_counter()
            fill_bank(state_dir, plan, target - done)
            print('wrote %d checkpoints into the bank in %.1f s'
                  % (target - done, time.perf_counter() - started))
            fixture = functional.KarborAllFixture(state_dir=state_dir)
            fixture.setUp()
            try:
                rows += _listing_rows(fixture, project_id, str(target),
                                      requests, concurrency)
                if target == checkpoints:
                    api = fixture.client(project_id=project_id)
                    # Lift the plan quota (50) so creation is measured,
                    # not refused.
                    api.put('/quotas/%s' % project_id,
                            {'quota': {'plans': -1}})
                    created = []
                    rows.append(measure(
                        'create plan', lambda i: created.append(
                            _create_plan(api)), requests, concurrency))
                    rows.append(measure(
                        'show plan', lambda i: api.get(
                            '/plans/%s' % created[i % len(created)]['id']),
                        requests, concurrency))
            finally:
                fixture.cleanUp()
    print()
    _print_table(rows)
