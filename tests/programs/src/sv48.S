/* sv48: the sv39 program's cases under Sv48 (4 levels: the Sv39 tables sit
   below root[0]), plus a 512 GiB page, a misaligned 512 GiB leaf, the Sv48
   high half and Sv48's non-canonical addresses.  Layout: see vm.h. */
#define VM_LEVELS 4
#include "common.h"
#include "vm.h"
