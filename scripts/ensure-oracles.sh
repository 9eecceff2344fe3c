#!/bin/sh
# The tests check our bytes and audio against independent tools: tshark (SCCP/RTP decode),
# sox and ffmpeg (codec references, RTP peers), alsa-utils (arecord/aplay paths), systemd (systemd-analyze
# verify of the unit, systemd-notify), python3 (the NOTIFY_SOCKET receiver), libxml2-utils (xmllint: the
# CiscoIPPhoneDirectory schema check of the CM's directory answers).
# Installs them with apt when missing and we are root (CI, a fresh dev box); otherwise says what to install.
set -e
missing=""
for t in tshark:tshark text2pcap:tshark sox:sox ffmpeg:ffmpeg arecord:alsa-utils tmux:tmux systemd-analyze:systemd systemd-notify:systemd python3:python3 xmllint:libxml2-utils; do
  cmd=${t%%:*}; pkg=${t#*:}
  command -v "$cmd" >/dev/null 2>&1 || case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg";; esac
done
[ -f /usr/include/alsa/asoundlib.h ] || missing="$missing libasound2-dev"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "deskphone: installing test oracles:$missing" >&2
  $SUDO apt-get update -qq >&2
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
else
  echo "deskphone: tests need:$missing  (apt-get install$missing)" >&2
  exit 1
fi
