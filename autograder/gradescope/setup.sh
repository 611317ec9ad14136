#!/usr/bin/env bash
# Gradescope runs this once, as root, in /autograder/source, when it builds the autograder image
# (Ubuntu, Python 3.10 or later). It installs what grading needs, pinned in requirements.txt, into
# a virtual environment every user may read, and prepares the sandbox's "user" isolation level:
# a dedicated unprivileged user that may not read this folder (the graders, the reference).
#   NNFS_VENV     where the environment goes (default /opt/nnfs-venv)
#   NNFS_PYTHON   the interpreter to build it with (default: the first python3.x >= 3.11 found)
set -euo pipefail
cd "$(dirname "$0")"
source_dir=$(pwd)
venv=${NNFS_VENV:-/opt/nnfs-venv}
user=${NNFS_SANDBOX_USER:-nnfs-student}

new_enough() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
python=${NNFS_PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null && new_enough "$(command -v "$candidate")" \
        && "$candidate" -c 'import ensurepip, venv' 2>/dev/null; then
      python=$(command -v "$candidate"); break
    fi
  done
fi
if [ -z "$python" ]; then
  # Ubuntu 22.04's python3 is 3.10; the course needs 3.11, which Ubuntu ships as python3.11.
  echo "installing python3.11 with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11 python3.11-venv >/dev/null
  python=$(command -v python3.11)
fi
echo "python: $python ($("$python" --version))"

"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -r requirements.txt
chmod -R a+rX "$venv"

if ! id -u "$user" >/dev/null 2>&1; then
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$user"
fi
# Folders every user may write to, in the image: closed to the sandbox user (root still writes).
# run_autograder does the same for /tmp, /dev/shm and /run/lock, which are made at start.
find /etc /home /opt /srv /var /usr/local -xdev -type d -perm -0002 -exec chmod o-w {} + \
  2>/dev/null || true
# The graders, the reference and the course settings: for root only.
chown -R root:root "$source_dir"
chmod -R go-rwx "$source_dir"

# Prove the image before Gradescope saves it: as the sandbox user, the environment's Python starts
# and imports NumPy, and the graders stay unreadable. A failure stops the build with one line.
NNFS_SANDBOX_USER="$user" "$venv/bin/python" -I -c 'import sys; sys.path.insert(0, ""); from autograder.gradescope.image import main; sys.exit(main())' "$source_dir"
echo "ready: $venv; sandbox user $user ($(id -u "$user"))"
