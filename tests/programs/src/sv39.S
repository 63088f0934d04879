/* sv39: Sv39 translation built by the program: identity and non-identity
   mappings with 4 KiB, 2 MiB and 1 GiB pages, the sign-extended high half,
   hardware A/D updates, every page-fault case (invalid PTE, W without R,
   pointer at the last level, U page from S without SUM and S fetch from U
   pages even with SUM, S page from U, MXR, misaligned superpages,
   non-canonical addresses, fetch from a non-X page = cause 12), stval/mepc
   = the faulting virtual address, sfence.vma after remapping (from M and
   from S), MPRV, page faults delegated to S.  Layout: see vm.h. */
#define VM_LEVELS 3
#include "common.h"
#include "vm.h"
