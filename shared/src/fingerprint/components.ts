/** How much a component counts toward a match, and whether it is tied to the hardware. */
export interface ComponentSpec {
  readonly weight: number;
  readonly strong: boolean;
  /** What a device maker should provide when no strong component is usable. */
  readonly description: string;
}

/**
 * The known components. Strong ones are burned into the hardware (SoC unique id, eMMC CID, a
 * factory serial passed by the bootloader); weak ones change with a NIC swap or a factory reset.
 * Device makers may declare more (see {@link declaredComponent}).
 */
export const COMPONENTS: Readonly<Record<string, ComponentSpec>> = {
  'soc.serial': { weight: 4, strong: true, description: 'SoC unique id (/sys/devices/soc0/serial_number or a real cpuinfo Serial)' },
  'emmc.cid': { weight: 4, strong: true, description: 'eMMC CID (/sys/block/mmcblk*/device/cid)' },
  'android.serial': { weight: 3, strong: true, description: 'factory serial passed by the bootloader (androidboot.serialno)' },
  'board.serial': { weight: 3, strong: true, description: 'board serial number (device-tree serial-number or DMI board_serial)' },
  'system.uuid': { weight: 3, strong: true, description: 'DMI product UUID (/sys/class/dmi/id/product_uuid)' },
  'android.id': { weight: 1, strong: false, description: 'ANDROID_ID (changes on factory reset)' },
  'machine.id': { weight: 1, strong: false, description: '/etc/machine-id (often copied with the disk image)' },
};

/** Weight of a network interface's MAC: weak, since NICs are swapped and Wi-Fi MACs randomized. */
export const MAC_COMPONENT: ComponentSpec = { weight: 1, strong: false, description: 'MAC address of a network interface' };

/** Name of the component for a network interface's MAC, e.g. `net.mac.eth0`. */
export function macComponentName(iface: string): string {
  return `net.mac.${iface}`;
}

/** Component names: lower-case dotted words; declared ones are free to pick their own. */
export const COMPONENT_NAME = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)+$/;

/** The spec of a built-in component, or undefined for a name the registry does not know. */
export function componentSpec(name: string): ComponentSpec | undefined {
  if (Object.hasOwn(COMPONENTS, name)) return COMPONENTS[name];
  if (name.startsWith('net.mac.')) return MAC_COMPONENT;
  return undefined;
}

/** A component a device maker declares in the agent's config (for example a chip unique id file). */
export function declaredComponent(weight: number, strong: boolean, description = 'declared by the device maker'): ComponentSpec {
  return { weight, strong, description };
}

/** Human-readable list of the strong components a device could provide. */
export function strongComponentHelp(): string {
  return Object.entries(COMPONENTS)
    .filter(([, spec]) => spec.strong)
    .map(([name, spec]) => `${name}: ${spec.description}`)
    .join('; ');
}
