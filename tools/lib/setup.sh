# Shared set-up for tools/citymap and tools/test: install what is missing, then build.
# Sourced, not run. Uses apt-get (through sudo when not root) on Debian and Ubuntu.

CITYMAP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Libraries the package links and loads at run time (PROJ's proj.db comes with proj-data), and Leaflet for the pages.
CITYMAP_PACKAGES=(libsqlite3-dev libspatialite-dev libproj-dev proj-data libsqlite3-mod-spatialite libjs-leaflet libjs-leaflet.markercluster)
# What the tests use besides: the sqlite3 shell, openssl and curl (HTTPS test), Python for the checks in tools/,
# a real browser for the pages (tools/browser-test), and GDAL (ogr2ogr reads the exports in the tests).
CITYMAP_TEST_PACKAGES=(sqlite3 openssl curl ca-certificates python3 python3-venv python3-pip chromium chromium-driver fonts-dejavu-core gdal-bin)

citymap_say() { printf '==> %s\n' "$*" >&2; }

citymap_install_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "citymap: need root or sudo to install: ${missing[*]}" >&2; return 1; }
        sudo="sudo"
    fi
    citymap_say "installing ${missing[*]}"
    $sudo apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

citymap_find_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        [ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
    fi
    command -v swift >/dev/null 2>&1 || {
        echo "citymap: no Swift 6 toolchain found (looked on PATH and in /opt/swift); install one from swift.org" >&2
        return 1
    }
}

citymap_prepare() {
    citymap_install_packages "${CITYMAP_PACKAGES[@]}"
    citymap_find_swift
}

citymap_build() {
    citymap_say "building citymap (the first build takes a few minutes)"
    (cd "$CITYMAP_ROOT" && swift build --quiet "$@" >&2)
}

# The Python of the checks in tools/: a virtual environment in tools/.venv with tools/requirements.txt.
# Prints the interpreter's path; fails (and says why) when the packages cannot be installed.
citymap_python() {
    local venv="$CITYMAP_ROOT/tools/.venv"
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv" >&2 || { echo "citymap: cannot create $venv (python3 -m venv)" >&2; return 1; }
    fi
    if ! cmp -s "$CITYMAP_ROOT/tools/requirements.txt" "$venv/.requirements" 2>/dev/null; then
        citymap_say "installing the Python packages of tools/requirements.txt into tools/.venv"
        "$venv/bin/pip" install -q --disable-pip-version-check -r "$CITYMAP_ROOT/tools/requirements.txt" >&2 || return 1
        cp "$CITYMAP_ROOT/tools/requirements.txt" "$venv/.requirements"
    fi
    echo "$venv/bin/python"
}
