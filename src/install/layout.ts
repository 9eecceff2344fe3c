/**
 * Where `deskphone install` puts things on a Raspberry Pi OS (Debian Bookworm) system
 * (docs/install.md): the program under /opt, its config under /etc, its state under /var/lib
 * (FHS 3.0 §3.13, §3.7, §5.8), the systemd unit, the udev rule, a `deskphone` command on the PATH.
 */
export const LAYOUT = {
  /** The built program: dist/, package.json, production node_modules. */
  prefix: '/opt/deskphone',
  etc: '/etc/deskphone',
  state: '/var/lib/deskphone',
  unit: '/etc/systemd/system/deskphone.service',
  /** 60-: after the distribution's own hidraw rules (50-udev-default.rules), before 99- local overrides. */
  udevRule: '/etc/udev/rules.d/60-deskphone.rules',
  /** A shell wrapper so `deskphone status` works as written. */
  command: '/usr/local/bin/deskphone',
  user: 'deskphone',
  /** gpio: /dev/gpiochip*, i2c: /dev/i2c-*, audio: /dev/snd/*, input: the handset's hidraw (udev rule). */
  groups: ['gpio', 'i2c', 'audio', 'input'],
} as const;

export type Layout = typeof LAYOUT;

/** The files of the config directory. */
export const PHONE_CONFIG = `${LAYOUT.etc}/phone.yaml`;
export const BOARD_CONFIG = `${LAYOUT.etc}/board.yaml`;
