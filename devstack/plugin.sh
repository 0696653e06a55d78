#!/bin/bash
# Karbor's devstack plugin: the entry point devstack calls at every phase.
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

# Save trace setting
_XTRACE_KARBOR_PLUGIN=$(set +o | grep xtrace)
set -o xtrace

source $KARBOR_DIR/devstack/lib/karbor

if is_service_enabled karbor-api karbor-protection; then
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        echo_summary "Installing Karbor"
        install_karbor
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        echo_summary "Configuring Karbor"
        configure_karbor
        if is_service_enabled keystone; then
            create_karbor_accounts
        fi
        init_karbor
    elif [[ "$1" == "stack" && "$2" == "extra" ]]; then
        echo_summary "Starting Karbor"
        start_karbor
    fi

    if [[ "$1" == "unstack" ]]; then
        stop_karbor
    fi

    if [[ "$1" == "clean" ]]; then
        cleanup_karbor
    fi
fi

# Restore xtrace
$_XTRACE_KARBOR_PLUGIN
