/**
 * The `--lab NAME` option every command that acts on a lab shares: without it the command
 * acts on the default lab (the name in examples/default.yaml, "dslab"), as Compose acts on the
 * project of its default file; never on "whichever lab is up".
 */
export const LAB_OPTION_HELP = 'the lab (default: the lab of examples/default.yaml, "dslab"; never another lab that happens to be up)';
