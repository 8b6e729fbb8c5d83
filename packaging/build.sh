#!/usr/bin/env bash
# Build the desktop distributable: PyInstaller one-folder app + .desktop entry + icon, packed
# as dist/signlookup-<version>-linux-x86_64.tar.gz. Usage: bash packaging/build.sh
# Needs the dev environment from scripts/setup.sh. Takes several minutes and ~1.5 GB of disk.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pip install -q --disable-pip-version-check "pyinstaller==6.22.3"
version=$(.venv/bin/python -c 'import signlookup; print(signlookup.__version__)')
rm -rf build/pyinstaller dist/signlookup
.venv/bin/pyinstaller --noconfirm --log-level WARN --workpath build/pyinstaller \
  --distpath dist packaging/signlookup.spec
# Test data and caches that need not ship.
find dist/signlookup -name "__pycache__" -prune -exec rm -rf {} +
find dist/signlookup -type d \( -name tests -o -name testing \) -path "*site-packages*" -prune \
  -exec rm -rf {} + 2>/dev/null || true
cp packaging/signlookup.desktop dist/signlookup/
[ -f resources/icons/signlookup.png ] && cp resources/icons/signlookup.png dist/signlookup/
tarball="dist/signlookup-${version}-linux-$(uname -m).tar.gz"
tar -C dist -czf "$tarball" signlookup
du -sh dist/signlookup "$tarball"
echo ">> built $tarball; run packaging/smoke_test.sh to check it"
