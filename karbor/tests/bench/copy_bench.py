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

"""Checkpoint copy throughput, memory and resume cost on karbor-all.

Each case protects one checkpoint with the Test Data Provider (generated
objects in the file-system main bank), copies it to the az2 destination (a
second file-system bank) through the API, and reports:

* the copy's time, from the request's acceptance to its end as its
  operation log records them, against ``cp -r`` of the same checkpoint
  directory (the raw baseline), and against the floor of a verified copy
  in Python: a bare loop doing only what the copy must do for each file
  (read it, hash it, write it, read it back and hash it again), with none
  of Karbor's code. The three run in turn, in the same conditions, a few
  rounds each (the copy deleted between two), and the medians are
  compared;
* the peak resident memory of the karbor-all process while it copies
  (and deletes the copies between rounds), sampled from /proc (the
  protection service runs in that process);
* for the resume case, the bytes the restarted service wrote to copy what
  was missing after a copy was killed half way (``wchar`` of the new
  process), beside what was missing at the time;
* the service's resident memory after one and after many rounds of
  copying a checkpoint and deleting the copy.
"""

import datetime
import json
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
import uuid

from karbor.services.protection import checksums
from karbor.tests.functional import base as functional

MiB = 1024 * 1024
PROVIDER = functional.TEST_DATA_PROVIDER_ID
# Rounds of copy and delete of the repeated case: enough for the RPC
# executor to have grown to its 64 threads.
REPEATED_ROUNDS = 20


def _proc_number(pid, name, field):
    """The number after ``field:`` in ``/proc/<pid>/<name>``; 0 if none.

    OSError once the process is gone.
    """
    prefix = field + ':'
    with open('/proc/%d/%s' % (pid, name)) as f:
        for line in f:
            if line.startswith(prefix):
                return int(line.split()[1])
    return 0


def _resident_kib(pid):
    return _proc_number(pid, 'status', 'VmRSS')


class RssSampler:
    """Peak VmRSS of a process, sampled from a thread."""

    def __init__(self, pid, interval=0.02):
        self._pid = pid
        self._interval = interval
        self._stop = threading.Event()
        self.peak_kib = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.peak_kib = max(self.peak_kib, _resident_kib(self._pid))
            except OSError:
                return
            self._stop.wait(self._interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _written_chars(pid):
    return _proc_number(pid, 'io', 'wchar')


def _dir_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f))
               for d, _, names in os.walk(path) for f in names)


def _file_chunks(fd, chunk_size):
    # Reads ask for no more than the file holds, plus one byte to see its
    # end: CPython allocates the buffer a read asks for, and a megabyte
    # for a 16 KiB file costs more than reading it (as in the bank). They
    # read at offsets, so a file just written reads back from its start.
    left = os.fstat(fd).st_size
    offset = 0
    while True:
        chunk = os.pread(fd, min(chunk_size, left + 1), offset)
        if not chunk:
            return
        left = max(0, left - len(chunk))
        offset += len(chunk)
        yield chunk


def verified_copy_floor(source, target, chunk_size=MiB):
    """Copy a tree as the bank mover must, with nothing else; seconds.

    Each file is read and hashed, written to a new file in place, then
    read back through the same descriptor and hashed again, compared with
    the first digest: the least a verified copy does per object in
    Python, on bare file descriptors. (A copy's objects are not read
    before it has verified them all, so they need not be written to a
    temporary file renamed into place.)
    """
    started = time.perf_counter()
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL
    for directory, _dirs, names in os.walk(source):
        out_dir = os.path.join(target, os.path.relpath(directory, source))
        os.makedirs(out_dir, exist_ok=True)
        for name in names:
            path = os.path.join(out_dir, name)
            digest = checksums.new(checksums.DEFAULT)
            src = os.open(os.path.join(directory, name), os.O_RDONLY)
            dst = os.open(path, flags, 0o666)
            try:
                for chunk in _file_chunks(src, chunk_size):
                    digest.update(chunk)
                    os.write(dst, chunk)
                _size, again = checksums.of_chunks(
                    _file_chunks(dst, chunk_size), checksums.DEFAULT)
            finally:
                os.close(src)
                os.close(dst)
            if again != digest.hexdigest():
                raise RuntimeError('%s changed in transit' % path)
    return time.perf_counter() - started


def _timed_baseline(command, target):
    subprocess.run(['sync'], check=True)
    started = time.perf_counter()
    command()
    seconds = time.perf_counter() - started
    shutil.rmtree(target)
    return seconds


def _copy_log(api, copy_id):
    return api.get('/operation_logs/%s' % copy_id)['operation_log']


def _wait_copy(api, copy_id, timeout=3600, interval=0.5):
    # Polled about as often as a client waiting on a copy would: a poll
    # every few milliseconds would take a share of the service's time
    # (its API and its copy share one process) and slow what is measured.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = _copy_log(api, copy_id)
        if log['status'] in ('success', 'error'):
            if log['status'] != 'success':
                raise RuntimeError('copy failed: %s' % log['error_info'])
            return log
        time.sleep(interval)
    raise RuntimeError('copy did not finish in time')


def _service_seconds(log):
    """The time from the copy request to its end, by the service's clock.

    The request's operation log is written when the API accepts the
    request and closed when its last copy is available, so the poll
    interval adds nothing to it.
    """
    started = datetime.datetime.fromisoformat(log['started_at'])
    ended = datetime.datetime.fromisoformat(log['ended_at'])
    return (ended - started).total_seconds()


class Deployment:
    """karbor-all on a state directory, with one plan of test data."""

    def __init__(self, state_dir, objects, object_size,
                 copy_bandwidth_limit=None):
        self.state_dir = state_dir
        self.project_id = uuid.uuid4().hex
        self.fixture = None
        self.api = None
        self.config_file = None
        if copy_bandwidth_limit:
            # The embedded Test Data Provider's banks, with a limit on az2.
            self.config_file = functional.write_test_data_provider(
                state_dir, PROVIDER, 'Test Data Provider',
                functional.az2_provider_text(copy_bandwidth_limit))
        self.start()
        self.plan = self.api.post('/plans', {'plan': {
            'name': 'bench', 'provider_id': PROVIDER,
            'parameters': {functional.PROJECT_TYPE: {
                'objects': objects, 'object_size': object_size}},
            'resources': [{'id': self.project_id,
                           'type': functional.PROJECT_TYPE,
                           'name': 'bench'}]}})['plan']

    def start(self):
        self.fixture = functional.KarborAllFixture(
            state_dir=self.state_dir, config_file=self.config_file)
        self.fixture.setUp()
        self.api = self.fixture.client(project_id=self.project_id)

    def stop(self, sig=signal.SIGTERM):
        self.fixture.stop(sig=sig)
        self.fixture.cleanUp()

    @property
    def pid(self):
        return self.fixture.process.pid

    def protect(self):
        path = '/providers/%s/checkpoints' % PROVIDER
        created = self.api.post(path, {'checkpoint': {
            'plan_id': self.plan['id']}})['checkpoint']
        done = self.api.wait_for('%s/%s' % (path, created['id']),
                                 'checkpoint', 'status',
                                 ('available', 'error'), timeout=3600)
        if done['status'] != 'available':
            raise RuntimeError('protect failed')
        return done['id']

    def start_copy(self):
        return self.api.post('/providers/%s/checkpoints/action' % PROVIDER,
                             {'copy': {'plan_id': self.plan['id']}})['copy']

    def checkpoint_dir(self, checkpoint_id):
        return os.path.join(self.state_dir, 'bank', 'karbor', 'checkpoints',
                            checkpoint_id)


def _forget_copy(deployment, copy, timeout=120):
    """Delete a copy through the API and wait until it is gone."""
    path = '/providers/%s/checkpoints/%%s' % PROVIDER
    copy_ids = [pair['checkpoint_copy_id'] for pair in copy['checkpoint_id']]
    for copy_id in copy_ids:
        deployment.api.delete(path % copy_id)
    for copy_id in copy_ids:
        gone = deployment.api.wait_for(path % copy_id, 'checkpoint',
                                       'status', ('deleted', 'error-deleting'),
                                       timeout=timeout)
        if gone['status'] != 'deleted':
            raise RuntimeError('copy %s was not deleted' % copy_id)


def _start_copy(deployment, timeout=60):
    # After a copy was deleted, its record goes at the very end of its
    # delete flow, just after its status becomes deleted: until then the
    # source counts as copied (409).
    deadline = time.monotonic() + timeout
    while True:
        try:
            return deployment.start_copy()
        except functional.ApiError as exc:
            if exc.status != 409 or time.monotonic() > deadline:
                raise
        time.sleep(0.1)


def throughput_case(workdir, label, objects, object_size, rounds=3):
    """Copy one checkpoint; compare with cp -r of its directory.

    The copy, ``cp -r`` and the bare verified copy run ``rounds`` times,
    interleaved (the copy first in odd rounds, last in even ones), each
    copy deleted through the API before the next; each is reported by
    its median, with the copy's and cp's extremes beside it. On a shared
    machine one run of each can differ by a third from the next, either
    way: a ratio of single runs says more about the neighbours than about
    the copy.
    """
    state = tempfile.mkdtemp(prefix='copy-', dir=workdir)
    deployment = Deployment(state, objects, object_size)
    times = {'copy': [], 'cp': [], 'floor': []}
    try:
        source = deployment.protect()
        checkpoint_dir = deployment.checkpoint_dir(source)
        target = os.path.join(workdir, 'baseline')

        def copy_once():
            # Both measurements start with no dirty pages and end when
            # the data is in the page cache, not on disk: neither syncs.
            subprocess.run(['sync'], check=True)
            copy = _start_copy(deployment)
            times['copy'].append(_service_seconds(
                _wait_copy(deployment.api, copy['id'])))
            return copy

        def baselines():
            times['cp'].append(_timed_baseline(
                lambda: subprocess.run(['cp', '-r', checkpoint_dir, target],
                                       check=True), target))
            times['floor'].append(_timed_baseline(
                lambda: verified_copy_floor(checkpoint_dir, target), target))

        with RssSampler(deployment.pid) as rss:
            for round_number in range(rounds):
                if round_number % 2:
                    baselines()
                copy = copy_once()
                if not round_number % 2:
                    baselines()
                if round_number < rounds - 1:
                    _forget_copy(deployment, copy)
    finally:
        deployment.stop()
    shutil.rmtree(state)
    total = objects * object_size
    copy_seconds = statistics.median(times['copy'])
    cp_seconds = statistics.median(times['cp'])
    floor_seconds = statistics.median(times['floor'])
    return {'case': label, 'bytes': total, 'rounds': rounds,
            'copy_s': copy_seconds, 'cp_s': cp_seconds,
            'floor_s': floor_seconds,
            'copy_range': (min(times['copy']), max(times['copy'])),
            'cp_range': (min(times['cp']), max(times['cp'])),
            'copy_mib_s': total / MiB / copy_seconds,
            'cp_mib_s': total / MiB / cp_seconds,
            'ratio': cp_seconds / copy_seconds,
            'floor_ratio': floor_seconds / copy_seconds,
            'peak_rss_mib': rss.peak_kib / 1024.0}


def repeated_case(workdir, objects, object_size, rounds):
    """Copy and delete one checkpoint's copy ``rounds`` times.

    Returns the service's resident memory once idle after the first
    round and after the last, and its thread count: a long-running
    service must not keep what each copy used.
    """
    state = tempfile.mkdtemp(prefix='repeat-', dir=workdir)
    deployment = Deployment(state, objects, object_size)
    resident = []
    try:
        deployment.protect()
        for round_number in range(rounds):
            copy = _start_copy(deployment)
            _wait_copy(deployment.api, copy['id'])
            _forget_copy(deployment, copy)
            resident.append(_resident_kib(deployment.pid) / 1024.0)
        threads = len(os.listdir('/proc/%d/task' % deployment.pid))
    finally:
        deployment.stop()
    shutil.rmtree(state)
    return {'rounds': rounds, 'objects': objects,
            'first_mib': resident[0], 'last_mib': resident[-1],
            'threads': threads}


def resume_case(workdir, objects, object_size):
    """Kill a copy half way, restart, and measure what moves again."""
    state = tempfile.mkdtemp(prefix='resume-', dir=workdir)
    # The copy takes about 8 s at its destination's limit, however fast
    # the machine, so that it is surely killed half way (what moves after
    # the restart does not depend on the rate).
    deployment = Deployment(
        state, objects, object_size,
        copy_bandwidth_limit=max(1, objects * object_size // MiB // 8))
    total = objects * object_size
    destination = os.path.join(state, 'bank-az2')
    try:
        deployment.protect()
        copy = deployment.start_copy()
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            extra = _copy_log(deployment.api, copy['id'])['extra_info']
            if extra and '"bytes_done"' in extra:
                progress = json.loads(extra)
                if (progress.get('bytes_total') and
                        progress['bytes_done'] >= progress['bytes_total'] / 2):
                    break
            time.sleep(0.01)
        deployment.stop(sig=signal.SIGKILL)
        present = _dir_bytes(destination)
        deployment.start()
        _wait_copy(deployment.api, copy['id'])
        moved_again = _written_chars(deployment.pid)
    finally:
        deployment.stop()
    shutil.rmtree(state)
    return {'bytes': total, 'present_at_kill': present,
            'missing_at_kill': max(0, total - present),
            'written_after_restart': moved_again}


def _print_throughput(rows):
    header = ('%-27s %8s %7s %7s %7s %10s %9s %6s %6s %9s'
              % ('copy fs bank -> fs bank', 'size MiB', 'copy s', 'cp -r s',
                 'floor s', 'copy MiB/s', 'cp MiB/s', 'ratio', 'floor',
                 'peak RSS'))
    print(header)
    print('-' * len(header))
    for r in rows:
        print('%-27s %8.0f %7.2f %7.2f %7.2f %10.1f %9.1f %6.2f %6.2f '
              '%5.0f MiB'
              % (r['case'], r['bytes'] / MiB, r['copy_s'], r['cp_s'],
                 r['floor_s'], r['copy_mib_s'], r['cp_mib_s'], r['ratio'],
                 r['floor_ratio'], r['peak_rss_mib']))
    print('times: medians of %d interleaved rounds; ratio: cp -r time / '
          'copy time (goal >= 0.8); floor: time of the bare verified copy '
          'loop / copy time' % rows[0]['rounds'])
    for r in rows:
        print('  %-25s copy %.3f-%.3f s, cp -r %.3f-%.3f s'
              % ((r['case'],) + r['copy_range'] + r['cp_range']))


def run(scale=1.0, rounds=3):
    """Run every case; ``scale`` shrinks the data for a quick look.

    ``rounds`` is the number of times each throughput case copies (see
    :func:`throughput_case`).
    """
    def n(value):
        return max(1, int(value * scale))

    workdir = tempfile.mkdtemp(prefix='karbor-copy-bench-')
    try:
        rows = [
            throughput_case(workdir, '256 MiB, 64 MiB objects',
                            n(4), 64 * MiB, rounds),
            throughput_case(workdir, '2 GiB, 64 MiB objects',
                            n(32), 64 * MiB, rounds),
            throughput_case(workdir, '20,000 x 16 KiB objects',
                            n(20000), 16 * 1024, rounds),
        ]
        resume = resume_case(workdir, n(16), 64 * MiB)
        repeated = repeated_case(workdir, n(20000), 16 * 1024,
                                 REPEATED_ROUNDS)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    _print_throughput(rows)
    print()
    print('resume after a copy killed half way (%d MiB checkpoint):'
          % (resume['bytes'] / MiB))
    print('  already at the destination when killed: %8.0f MiB'
          % (resume['present_at_kill'] / MiB))
    print('  missing when killed:                    %8.0f MiB'
          % (resume['missing_at_kill'] / MiB))
    print('  written by the restarted service:       %8.0f MiB'
          % (resume['written_after_restart'] / MiB))
    print()
    print('resident memory of the idle service after copying %d objects '
          'and deleting the copy:' % repeated['objects'])
    print('  after the first round: %6.0f MiB' % repeated['first_mib'])
    print('  after round %-10d %6.0f MiB (%d threads)'
          % (repeated['rounds'], repeated['last_mib'], repeated['threads']))
    return rows, resume, repeated
