package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"imageconsole/models"
)

// userCmd is `console user add --email E --password P [--name N] [--role R]`.
func userCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("usage: console user add --email E --password P [--name N] [--role user|provider|operator]")
	}
	var c config
	var in models.NewAccount
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	registerFlags(fs, &c)
	fs.StringVar(&in.Email, "email", "", "email")
	fs.StringVar(&in.Password, "password", "", "password")
	fs.StringVar(&in.Name, "name", "", "display name")
	fs.StringVar(&in.Role, "role", models.RoleUser, "user, provider or operator")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	s, db, err := openStore(&c)
	if err != nil {
		return err
	}
	defer db.Close()
	acct, err := s.CreateAccount(context.Background(), in)
	if err != nil {
		return fmt.Errorf("%s", models.ErrorMessage(err))
	}
	_, err = fmt.Fprintf(stdout, "AccountId: %s\n", acct.ID)
	return err
}
