/**
 * Symbolic link objects (OBJECT_SYMBOLIC_LINK): `\??\C:` → `\Device\HarddiskVolume1`.
 * A lookup that meets a link substitutes its target for the part of the name already consumed.
 */
import { KernelObject, type ObjectType } from './object-type.ts';

export const SymbolicLinkObjectType: ObjectType = { name: 'SymbolicLink' };

export class SymbolicLink extends KernelObject {
  readonly type = SymbolicLinkObjectType;
  constructor(public target: string) {
    super();
  }
}
