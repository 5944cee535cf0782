// Package margin computes initial and maintenance margin: from leverage and
// rates, from tiered schedules (Binance tiers with a maintenance amount,
// BitMEX stepped risk limits, Deribit size-linear rates), with fee-to-close
// and funding reserves, for isolated and cross accounts.
package margin
