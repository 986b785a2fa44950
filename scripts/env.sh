# Sourced by the project's scripts: puts the project's own tools on PATH.
# shellcheck shell=bash
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$_root/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Not $NGINX: nginx itself reads that variable (inherited sockets).
export NGINX_BIN="${NGINX_BIN:-$_root/.tools/nginx/usr/sbin/nginx}"
export TINYPROXY_BIN="${TINYPROXY_BIN:-$_root/.tools/tinyproxy/usr/bin/tinyproxy}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
unset _root
