/**
 * Embedded display labels (docs/sccp.md §1): inside SCCP strings a byte 0x80 (octal 200)
 * followed by a code byte is a localized phrase; 0x1E (octal 36) + code selects a second table.
 * Texts from Wireshark tools/SkinnyProtocolOptimized.xml enums DisplayLabels_200 and
 * DisplayLabels_36 (code = array index; '' = unassigned).
 */

/** §1: 0x80 prefix, table "DisplayLabels_200". */
export const LABEL_PREFIX = 0x80;
/** §1: 0x1E prefix, table "DisplayLabels_36". */
export const LABEL_PREFIX_2 = 0x1e;

const TABLE_80: readonly string[] = [
  '', 'Redial', 'Newcall', 'Hold', 'Transfer', 'Cfwdall', 'Cfwdbusy', 'Cfwdnoanswer', // 0x00-0x07
  'Backspace', 'Endcall', 'Resume', 'Answer', 'Info', 'Confrn', 'Park', 'Join', // 0x08-0x0F
  'Meetme', 'Pickup', 'Gpickup', 'Your Current Options', 'Off Hook', 'On Hook', 'Ring Out', 'From', // 0x10-0x17
  'Connected', 'Busy', 'Line In Use', 'Call Waiting', 'Call Transfer', 'Call Park', 'Call Proceed', 'In Use Remote', // 0x18-0x1F
  'Enter Number', 'Call Park At', 'Primary Only', 'Temp Fail', 'You Have Voicemail', 'Forwarded To',
  'Can Not Complete Conference', 'No Conference Bridge', // 0x20-0x27
  'Can Not Hold Primary Control', 'Invalid Conference Participant', 'In Conference Already', 'No Participant Info',
  'Exceed Maximum Parties', 'Key Is Not Active', 'Error No License', 'Error Dbconfig', // 0x28-0x2F
  'Error Database', 'Error Pass Limit', 'Error Unknown', 'Error Mismatch', 'Conference', 'Park Number', 'Private',
  'Not Enough Bandwidth', // 0x30-0x37
  'Unknown Number', 'Rmlstc', 'Voicemail', 'Immdiv', 'Intrcpt', 'Setwtch', 'Trnsfvm', 'Dnd', // 0x38-0x3F
  'Divall', 'Callback', 'Network Congestion Rerouting', 'Barge', 'Failed To Setup Barge', 'Another Barge Exists',
  'Incompatible Device Type', 'No Park Number Available', // 0x40-0x47
  'Callpark Reversion', 'Service Is Not Active', 'High Traffic Try Again Later', 'Qrt', 'Mcid', 'Dirtrfr', 'Select',
  'Conflist', // 0x48-0x4F
  'Idivert', 'Cbarge', 'Can Not Complete Transfer', 'Can Not Join Calls', 'Mcid Successful', 'Number Not Configured',
  'Security Error', 'Video Bandwidth Unavailable', // 0x50-0x57
  'Vidmode', 'Max Call Duration Timeout', 'Max Hold Duration Timeout', 'Opickup', 'Hlog', 'Logged Out Of Hunt Group',
  'Park Slot Unavailable', 'No Call Available For Pickup', // 0x58-0x5F
  '', 'External Transfer Restricted', 'No Line Available For Pickup', 'Path Replacement In Progress', 'Unknown 2',
  'Mac Address', 'Host Name', 'Domain Name', // 0x60-0x67
  'Ip Address', 'Subnet Mask', 'Tftp Server 1', 'Default Router 1', 'Default Router 2', 'Default Router 3',
  'Default Router 4', 'Default Router 5', // 0x68-0x6F
  'Dns Server 1', 'Dns Server 2', 'Dns Server 3', 'Dns Server 4', 'Dns Server 5', 'Operational Vlan Id',
  'Admin Vlan Id', 'Call Manager 1', // 0x70-0x77
  'Call Manager 2', 'Call Manager 3', 'Call Manager 4', 'Call Manager 5', 'Information Url', 'Directories Url',
  'Messages Url', 'Services Url', // 0x78-0x7F
];

const TABLE_1E: readonly string[] = [
  'Empty', '', 'Acct', 'Flash', 'Login', 'Device In Home Location', 'Device In Roaming Location',
  'Enter Authorization Code', // 0x00-0x07
  'Enter Client Matter Code', 'Calls Available For Pickup', 'Cm Fallback Service Operating', 'Max Phones Exceeded',
  'Waiting To Rehome', 'Please End Call', 'Paging', 'Select Line', // 0x08-0x0F
  'Transfer Destination Is Busy', 'Select A Service', 'Local Services', 'Enter Search Criteria', 'Night Service',
  'Night Service Active', 'Night Service Disabled', 'Login Successful', // 0x10-0x17
  'Wrong Pin', 'Please Enter Pin', 'Of', 'Records 1 To', 'No Record Found', 'Search Results', 'Calls In Queue',
  'Join To Hunt Group', // 0x18-0x1F
  'Ready', 'Notready', 'Call On Hold', 'Hold Reversion', 'Setup Failed', 'No Resources', 'Device Not Authorized',
  'Monitoring', // 0x20-0x27
  'Recording Awaiting Call To Be Active', 'Recording Already In Progress', 'Inactive Recording Session', 'Mobility',
  'Whisper', 'Forward All', 'Malicious Call Id', 'Group Pickup', // 0x28-0x2F
  'Remove Last Participant', 'Other Pickup', 'Video', 'End Call', 'Conference List', 'Quality Reporting Tool',
  'Hunt Group', 'Use Line Or Join To Complete', // 0x30-0x37
  'Do Not Disturb', 'Do Not Disturb Is Active', 'Cfwdall Loop Detected', 'Cfwdall Hops Exceeded', 'Abbrdial',
  'Pickup Is Unavailable', 'Conference Is Unavailable', 'Meetme Is Unavailable', // 0x38-0x3F
  'Cannot Retrieve Parked Call', 'Cannot Send Call To Mobile', '', 'Record', 'Cannot Move Conversation', 'Cw Off',
  'Coaching', '', // 0x40-0x47
  '', '', '', '', '', '', '', 'Recording', // 0x48-0x4F
  'Recording Failed', 'Connecting', // 0x50-0x51
];

const byText = new Map<string, string>();
for (const [prefix, table] of [[LABEL_PREFIX_2, TABLE_1E], [LABEL_PREFIX, TABLE_80]] as const) {
  table.forEach((t, code) => { if (t) byText.set(t.toLowerCase(), String.fromCharCode(prefix, code)); });
}

/** Text of one label code, or undefined if the code is unassigned. */
export function labelText(prefix: number, code: number): string | undefined {
  const t = (prefix === LABEL_PREFIX ? TABLE_80 : prefix === LABEL_PREFIX_2 ? TABLE_1E : [])[code];
  return t || undefined;
}

/**
 * Replace embedded label codes by their text for display: "\x80\x20" -> "Enter Number",
 * "\x80\x17100" -> "From 100". A label is separated from neighbouring text by one space.
 * Unknown codes become "[label 0xNN]" so nothing is silently dropped.
 */
export function decodeLabels(s: string): string {
  if (!/[\x80\x1e]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c === LABEL_PREFIX || c === LABEL_PREFIX_2) && i + 1 < s.length) {
      const code = s.charCodeAt(++i);
      const text = labelText(c, code) ?? `[label 0x${c.toString(16)} 0x${code.toString(16).padStart(2, '0')}]`;
      if (out && !out.endsWith(' ')) out += ' ';
      out += text;
      const next = s[i + 1];
      if (next !== undefined && next !== ' ') out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

/** The 2-byte encoded form of a label by its text (case-insensitive): label('Connected') = "\x80\x18". */
export function label(text: string): string {
  const code = byText.get(text.toLowerCase());
  if (code === undefined) throw new Error(`SCCP label: no display label named ${JSON.stringify(text)} (see labels.ts tables)`);
  return code;
}
