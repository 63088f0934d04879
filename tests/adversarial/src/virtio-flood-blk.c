/* virtio-flood-blk: flood.h against the first virtio-blk disk. */
#include "flood.h"

int main(void) { return flood(ID_BLOCK); }
