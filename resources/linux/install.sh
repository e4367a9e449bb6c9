#!/bin/sh
# Adds Parqueue to this user's application menu (no root needed): run from the unpacked folder.
set -e
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$data/applications" "$HOME/.local/bin"
ln -sf "$here/parqueue" "$HOME/.local/bin/parqueue"
sed "s|^Exec=parqueue|Exec=$here/parqueue|" "$here/share/applications/org.parqueue.Parqueue.desktop" \
  > "$data/applications/org.parqueue.Parqueue.desktop"
cp -r "$here/share/icons" "$data/"
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
echo "Parqueue added to your applications menu; 'parqueue' is in ~/.local/bin"
