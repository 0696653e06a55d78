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

"""A protection plugin writing real, checkable backup data to the bank.

For tests and benchmarks: protecting a resource of any type writes a
configurable number of objects of a configurable size, ``data_000000``,
``data_000001``..., filled with pseudo-random bytes that depend only on
the checkpoint id, the resource id and the object's index, plus a
``metadata`` object recording each object's size and checksum (XXH3-128;
manifests written before recorded MD5, which is still checked). Restore and
verify read every object back and check it; delete removes them; copy
moves them with the shared bank-data copy operation. Data is generated,
written and read in chunks, so memory does not grow with the object size.

Options, in the provider file's ``[test_data_protection_plugin]`` section:
``objects_per_resource`` (default 4) and ``object_size`` in bytes (default
1 MiB). A plan may override them per resource type with the ``objects``
and ``object_size`` parameters.
"""

import copy
import hashlib
import random

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils

from karbor.common import constants
from karbor import exception
from karbor.services.protection import checksums
from karbor.services.protection import protection_plugin
from karbor.services.protection.protection_plugins import bank_data
from karbor.services.protection.protection_plugins import utils

LOG = logging.getLogger(__name__)

OPTS_GROUP = 'test_data_protection_plugin'
test_data_opts = [
    cfg.IntOpt('objects_per_resource', default=4, min=0,
               help='Data objects written for each protected resource.'),
    cfg.IntOpt('object_size', default=1024 * 1024, min=0,
               help='Size in bytes of each data object.'),
]

METADATA_KEY = 'metadata'
STATUS_KEY = 'status'
# Generation and read-back work on chunks of this size.
CHUNK_SIZE = 1024 * 1024
# Bounds a plan may ask for; beyond them a typo would fill the bank.
MAX_OBJECTS = 1000000
MAX_OBJECT_SIZE = 64 * 1024 * 1024 * 1024

_OPTIONS_SCHEMA = {
    'type': 'object',
    'title': 'Test data',
    'properties': {
        'objects': {
            'type': 'integer', 'minimum': 0, 'maximum': MAX_OBJECTS,
            'title': 'Objects',
            'description': 'Data objects to write for each resource.'},
        'object_size': {
            'type': 'integer', 'minimum': 0, 'maximum': MAX_OBJECT_SIZE,
            'title': 'Object size',
            'description': 'Size in bytes of each data object.'},
    },
}


def list_opts():
    """Options of this plugin, for the provider configuration reference."""
    return [(OPTS_GROUP, test_data_opts)]


def object_name(index):
    """The key of the ``index``-th data object; zero-padded to sort."""
    return 'data_%06d' % index


def generate(checkpoint_id, resource_id, index, size,
             chunk_size=CHUNK_SIZE):
    """Yield the ``size`` deterministic bytes of one object, in chunks."""
    seed = hashlib.sha256(('%s/%s/%d' % (checkpoint_id, resource_id, index))
                          .encode('utf-8')).digest()
    rng = random.Random(seed)
    remaining = size
    while remaining > 0:
        length = min(chunk_size, remaining)
        yield rng.randbytes(length)
        remaining -= length


def _hashed(chunks, digest):
    for chunk in chunks:
        digest.update(chunk)
        yield chunk


def _recorded_checksum(entry):
    """The (algorithm, digest) a manifest entry records, or None."""
    for algorithm in (checksums.DEFAULT,) + checksums.ALGORITHMS:
        if isinstance(entry.get(algorithm), str):
            return algorithm, entry[algorithm]
    return None


class _Sizes:
    """Objects per resource and object size, from options and parameters."""

    def __init__(self, config):
        self.objects = test_data_opts[0].default
        self.object_size = test_data_opts[1].default
        if config is not None:
            config.register_opts(test_data_opts, group=OPTS_GROUP)
            self.objects = config[OPTS_GROUP].objects_per_resource
            self.object_size = config[OPTS_GROUP].object_size

    def for_parameters(self, parameters):
        parameters = parameters or {}
        return (int(parameters.get('objects', self.objects)),
                int(parameters.get('object_size', self.object_size)))


class ProtectOperation(protection_plugin.Operation):
    def __init__(self, sizes):
        self._sizes = sizes

    def on_main(self, checkpoint, resource, context, parameters, **kwargs):
        count, size = self._sizes.for_parameters(parameters)
        section = checkpoint.get_resource_bank_section(resource.id)
        section.update_object(STATUS_KEY, constants.RESOURCE_STATUS_PROTECTING)
        objects = []
        for index in range(count):
            name = object_name(index)
            # The checksum is of the generated bytes, not what the bank
            # says it stored: restore then proves the bank kept them.
            digest = checksums.new(checksums.DEFAULT)
            section.put_object_stream(
                name, _hashed(generate(checkpoint.id, resource.id, index,
                                       size), digest),
                size=size, context=context)
            objects.append({'name': name, 'size': size,
                            checksums.DEFAULT: digest.hexdigest()})
        section.update_object(METADATA_KEY, {
            'resource_id': resource.id,
            'resource_type': resource.type,
            'resource_name': resource.name,
            'count': count,
            'object_size': size,
            'objects': objects,
            'protected_at': timeutils.utcnow().isoformat(),
        }, context=context)
        section.update_object(STATUS_KEY, constants.RESOURCE_STATUS_AVAILABLE)


def _not_found(checkpoint, resource, reason):
    return exception.ResourceDataNotFound(
        checkpoint_id=checkpoint.id, resource_type=resource.type,
        resource_id=resource.id, reason=reason)


def check_resource_data(checkpoint, resource, context=None):
    """Read every data object of ``resource`` back and check it.

    :returns: the resource's metadata.
    :raises karbor.exception.ResourceDataNotFound: when the metadata or an
        object is missing.
    :raises karbor.exception.CheckpointCorrupted: when an object's size or
        checksum is not the recorded one; the reason names the object.
    """
    section = checkpoint.get_resource_bank_section(resource.id)
    try:
        metadata = section.get_object(METADATA_KEY, context=context)
    except exception.KarborException as exc:
        raise _not_found(checkpoint, resource, exc)
    if (not isinstance(metadata, dict) or
            metadata.get('resource_id') != resource.id or
            not isinstance(metadata.get('objects'), list)):
        raise _not_found(checkpoint, resource,
                         'the metadata object is not the one the test-data '
                         'plugin writes')
    for entry in metadata['objects']:
        name = entry['name']
        recorded = _recorded_checksum(entry)
        if recorded is None:
            raise exception.CheckpointCorrupted(
                checkpoint_id=checkpoint.id,
                reason='the metadata of %s %s records no checksum for data '
                       'object %s' % (resource.type, resource.id, name))
        algorithm, expected = recorded
        digest = checksums.new(algorithm)
        size = 0
        try:
            with section.open_object_reader(name, context=context) as reader:
                while True:
                    chunk = reader.read(CHUNK_SIZE)
                    if not chunk:
                        break
                    digest.update(chunk)
                    size += len(chunk)
        except exception.BankObjectNotFound:
            raise _not_found(checkpoint, resource,
                             'data object %s is missing' % name)
        except (exception.KarborException, OSError) as exc:
            raise _not_found(checkpoint, resource,
                             'data object %s cannot be read: %s'
                             % (name, exc))
        actual = digest.hexdigest()
        if size != entry['size'] or actual != expected:
            raise exception.CheckpointCorrupted(
                checkpoint_id=checkpoint.id,
                reason='data object %s of %s %s has %d bytes with %s %s, '
                       'expected %d bytes with %s %s'
                       % (name, resource.type, resource.id, size,
                          algorithm, actual, entry['size'], algorithm,
                          expected))
    return metadata


class DeleteOperation(protection_plugin.Operation):
    def on_main(self, checkpoint, resource, context, parameters, **kwargs):
        section = checkpoint.get_resource_bank_section(resource.id)
        # Data first, metadata last: an interrupted delete can be retried
        # and still knows what it was deleting.
        keys = section.list_objects(context=context)
        keys.sort(key=lambda k: (k == METADATA_KEY, k == STATUS_KEY))
        for key in keys:
            section.delete_object(key, context=context)


class TestDataProtectionPlugin(protection_plugin.ProtectionPlugin):
    """Protects every resource type with generated, checkable data."""

    def __init__(self, config=None):
        super().__init__(config)
        self._sizes = _Sizes(config)

    def get_protect_operation(self, resource):
        return ProtectOperation(self._sizes)

    def get_restore_operation(self, resource):
        return utils.CheckedRestoreOperation(check_resource_data)

    def get_verify_operation(self, resource):
        return utils.CheckedVerifyOperation(check_resource_data)

    def get_delete_operation(self, resource):
        return DeleteOperation()

    def get_copy_operation(self, resource):
        return bank_data.BankDataCopyOperation()

    @classmethod
    def get_supported_resources_types(cls):
        return constants.RESOURCE_TYPES

    @classmethod
    def get_options_schema(cls, resource_type):
        # Callers may add to a schema; never let them change the module's.
        return copy.deepcopy(_OPTIONS_SCHEMA)

    @classmethod
    def get_copy_schema(cls, resource_type):
        return bank_data.copy_schema()
