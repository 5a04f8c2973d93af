"""What every case form, case page and the case list share: saving a form, the case page's header, actions and timeline, the paged case list, a person's fields."""
