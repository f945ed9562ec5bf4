/*
 * no_symbol: a shared object that exports no "oakley_plugin" symbol.
 */
const char *not_a_plugin(void);

const char *
not_a_plugin(void)
{
	return "not an oakleyd plugin";
}
