/**
 * The systemd unit of the installed phone, generated from one template (docs/install.md).
 * Directives: systemd.service(5) (Type=notify, WatchdogSec=, NotifyAccess=, Restart=),
 * systemd.exec(5) (User=, StateDirectory=, RuntimeDirectory=, ProtectSystem=, ...),
 * systemd.resource-control(5) (DevicePolicy=, DeviceAllow=).
 */
import { LAYOUT, BOARD_CONFIG, PHONE_CONFIG } from './layout.js';

/** Watchdog period; the phone pings every half of it from its event loop (src/node/sd-notify.ts). */
export const WATCHDOG_SEC = 30;

/**
 * Device classes the phone opens, by their /proc/devices name (systemd.resource-control(5):
 * "char-" + group; a path glob like /dev/hidraw* is not accepted there): gpiochip = /dev/gpiochip*,
 * i2c = /dev/i2c-*, hidraw = /dev/hidraw*, alsa = /dev/snd/*.
 */
export const DEVICE_GROUPS = ['gpiochip', 'i2c', 'hidraw', 'alsa'] as const;

/**
 * Node/V8 flags of the installed phone. --max-semi-space-size=1 caps each young-generation
 * semi-space at 1 MiB (V8's default grows it to 16 MiB): the media hot paths allocate nothing
 * (docs/media.md), so the smaller nursery costs no audible GC time and saves ~11 MB of RSS
 * (measured by `npm run bench -- --only phone`, which starts its phones with these flags).
 * V8's interrupt budget is lowered by the phone itself once it has registered, not here: a low
 * budget from the first instruction costs start-up CPU (src/node/tier-up.ts).
 */
export const PHONE_NODE_FLAGS = ['--max-semi-space-size=1'] as const;

export interface UnitOptions {
  /** Absolute path of the node binary ExecStart runs. */
  node: string;
  /** The program under the prefix (default dist/src/bin.js; plan.ts entryOf picks the bundle when there is one). */
  entry?: string;
}

export function serviceUnit(o: UnitOptions): string {
  return `# Installed by \`deskphone install\`; \`deskphone uninstall\` removes it. Edit ${PHONE_CONFIG}, not this file
# (or add overrides with \`systemctl edit deskphone\`).
[Unit]
Description=deskphone desk phone (SCCP/SSCP station)
Documentation=file://${LAYOUT.prefix}/docs/install.md
After=network-online.target sound.target
Wants=network-online.target

[Service]
# READY=1, STATUS= and WATCHDOG=1 come from systemd-notify, a child of the phone: NotifyAccess=all.
Type=notify
NotifyAccess=all
ExecStart=${o.node} ${PHONE_NODE_FLAGS.join(' ')} ${LAYOUT.prefix}/${o.entry ?? 'dist/src/bin.js'} phone --config ${PHONE_CONFIG} --board ${BOARD_CONFIG}
Environment=NODE_ENV=production
Restart=always
RestartSec=2
WatchdogSec=${WATCHDOG_SEC}
TimeoutStopSec=10
User=${LAYOUT.user}
Group=${LAYOUT.user}
StateDirectory=deskphone
StateDirectoryMode=0750
RuntimeDirectory=deskphone
RuntimeDirectoryMode=0755
# The phone keeps the checked copy of its configs here (src/node/config-off-thread.ts): $CACHE_DIRECTORY.
CacheDirectory=deskphone
ProtectSystem=strict
ReadWritePaths=${LAYOUT.state}
ProtectHome=yes
PrivateTmp=yes
NoNewPrivileges=yes
DevicePolicy=closed
${DEVICE_GROUPS.map((g) => `DeviceAllow=char-${g} rw`).join('\n')}

[Install]
WantedBy=multi-user.target
`;
}
