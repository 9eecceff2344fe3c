/**
 * Streams a station holds that this call manager did not open (docs/security.md §8 "Failover").
 * After a failover a phone still plays the call the old CM set up. Our phones name those streams
 * again after registering (SCCP OpenReceiveChannelAck, SSCP MediaOpenAck for an id this CM never
 * sent), and the CM closes them (StopMediaTransmission + CloseReceiveChannel, MediaStop + MediaClose)
 * when the phone goes on hook. Until then the ids are not handed out to new calls, so a new
 * stream cannot be mistaken for a foreign one.
 */
export class ForeignStreams {
  private readonly byDevice = new Map<string, Set<number>>();
  /** How many devices hold each id (ids are per CM, so two phones may report the same one). */
  private readonly held = new Map<number, number>();

  /** Notes that `device` holds stream `id`; false if already known. */
  note(device: string, id: number): boolean {
    let ids = this.byDevice.get(device);
    if (!ids) this.byDevice.set(device, ids = new Set());
    if (ids.has(id)) return false;
    ids.add(id);
    this.held.set(id, (this.held.get(id) ?? 0) + 1);
    return true;
  }

  /** Some device holds `id`: the CM must not use it for a new stream. */
  has(id: number): boolean { return this.held.has(id); }

  /** The device's foreign ids, forgotten (they are being closed, or the device left). */
  take(device: string): number[] {
    const ids = this.byDevice.get(device);
    if (!ids) return [];
    this.byDevice.delete(device);
    for (const id of ids) {
      const n = (this.held.get(id) ?? 1) - 1;
      if (n > 0) this.held.set(id, n); else this.held.delete(id);
    }
    return [...ids];
  }
}
