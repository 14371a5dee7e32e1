/**
 * What `ip -j addr show` prints (iproute2's JSON output), as far as dslab reads it: the
 * addresses of each link with their kernel flags.
 */

/** One address of a link (`addr_info[]`), with the flags the kernel shows when set. */
export interface IpJsonAddr {
  family: string;
  local: string;
  prefixlen: number;
  scope: string;
  /** Duplicate address detection has not finished. */
  tentative?: boolean;
  /** Duplicate address detection found the address in use. */
  dadfailed?: boolean;
  /** An RFC 8981 temporary address. */
  temporary?: boolean;
  /** The address temporary addresses are made from. */
  mngtmpaddr?: boolean;
}

/** Every address of every link in `ip -j addr show` output (an empty text is no links). */
export function addressesOf(stdout: string): IpJsonAddr[] {
  const links = JSON.parse(stdout || '[]') as Array<{ addr_info?: IpJsonAddr[] }>;
  return links.flatMap((l) => l.addr_info ?? []);
}
