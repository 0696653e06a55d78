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

"""Sphinx configuration of Karbor's documentation."""

# The option and policy extensions import the libraries Karbor uses; select
# the threading backend first, as every Karbor process does, so that none of
# them initialises eventlet.
from karbor.common import threading_backend  # noqa: F401

extensions = [
    'openstackdocstheme',
    'oslo_config.sphinxext',
    'oslo_config.sphinxconfiggen',
    'oslo_policy.sphinxext',
    'oslo_policy.sphinxpolicygen',
]

# The samples are generated at every build into _static, from the same
# generator files as `tox -e genconfig` and `tox -e genpolicy`.
config_generator_config_file = '../../etc/karbor/karbor-config-generator.conf'
sample_config_basename = '_static/karbor'
policy_generator_config_file = '../../etc/karbor/karbor-policy-generator.conf'
sample_policy_basename = '_static/karbor'

openstackdocs_repo_name = 'openstack/karbor'
openstackdocs_bug_project = 'karbor'
openstackdocs_bug_tag = 'doc'
openstackdocs_auto_name = False

project = 'Karbor'
copyright = '2026, The Karbor Authors'

source_suffix = '.rst'
master_doc = 'index'
exclude_patterns = ['_build']
pygments_style = 'native'

html_theme = 'openstackdocs'
html_static_path = ['_static']
htmlhelp_basename = 'karbordoc'
