#!/usr/bin/env bash
# Install everything signlookup needs on a fresh Debian/Ubuntu machine: system packages for Qt,
# a Python 3.11 virtual environment in .venv, and the pinned Python packages.
# Usage: bash scripts/setup.sh   (re-running it is safe and quick)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libpulse0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xkb1 libegl1 libgl1
  libglib2.0-0 libfontconfig1 libdbus-1-3 xvfb xauth
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo ">> apt: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), "signlookup needs Python 3.11"'
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
PIP=(.venv/bin/python -m pip install --disable-pip-version-check -q)
"${PIP[@]}" --upgrade pip
# torch first and pinned: an unpinned torch would pull a CUDA build of several GB.
"${PIP[@]}" torch==2.13.0
"${PIP[@]}" -c requirements/constraints.txt -e ".[train,dev]"
# mediapipe drags in opencv-contrib-python (a GUI build with its own Qt plugins); both wheels
# write cv2/, so put the headless build back on top (see ../shared/TOOLCHAIN.md).
"${PIP[@]}" --force-reinstall --no-deps "opencv-python-headless==4.11.0.86"
echo ">> ready: .venv/bin/signlookup starts the app"
