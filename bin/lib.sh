# Shared by bin/run and bin/test: find a Python >= 3.12, build the virtual environment,
# install what the project declares. Every step is idempotent and says what it needs.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

find_python() {
    local candidate
    for candidate in "${COUNTERPOINT_PYTHON:-}" python3.14 python3.13 python3.12 python3 python; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 && python_ok "$(command -v "$candidate")"; then
            command -v "$candidate"; return 0
        fi
    done
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
        if [ -x "$candidate" ] && python_ok "$candidate"; then echo "$candidate"; return 0; fi
    done
    return 1
}

ensure_venv() {
    if [ -x "$PY" ] && ! python_ok "$PY"; then
        say "Removing a virtual environment built with an older Python"
        rm -rf "$VENV"
    fi
    if [ ! -x "$PY" ]; then
        local base
        base="$(find_python)" || die "Counterpoint needs Python 3.12 or newer. None was found on PATH or under ~/.pyenv/versions. Install one (e.g. 'pyenv install 3.12' or your system's python3.12 package), or point COUNTERPOINT_PYTHON at it."
        say "Creating the virtual environment with $base"
        "$base" -m venv "$VENV" || die "Could not create a virtual environment with $base (on Debian: apt-get install python3-venv)."
    fi
    # Reinstall only when the declared dependencies changed.
    local stamp="$VENV/.counterpoint-installed" want
    want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "Installing Python dependencies (pyproject.toml)"
        "$PY" -m pip install --quiet --disable-pip-version-check -e "$ROOT[dev]" \
            || die "pip could not install the dependencies listed in pyproject.toml."
        echo "$want" > "$stamp"
    fi
}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi
}

# Debian packages the app needs at run time (WeasyPrint's libraries and fonts).
# tesseract-ocr and its English data: OCR of scanned readings (issue 22); another language is
# one more package (tesseract-ocr-deu, -fra, ...), see README.
RUNTIME_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
    tesseract-ocr tesseract-ocr-eng)

ensure_debs() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "Please install these system packages (Debian names): ${missing[*]}" >&2
        return 1
    fi
    say "Installing system packages: ${missing[*]}"
    { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } \
        || { echo "Could not install ${missing[*]}: run as root, or install them with your package manager." >&2; return 1; }
}

cd "$ROOT" || exit 1
