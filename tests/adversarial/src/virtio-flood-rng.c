/* virtio-flood-rng: flood.h against the virtio entropy device. */
#include "flood.h"

int main(void) { return flood(ID_RNG); }
