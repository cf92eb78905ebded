import { describe, expect, it } from 'vitest';
import { selectPrimaryContact, splitName } from './primary-contact.ts';
import { member } from './test-support.ts';

describe('selectPrimaryContact', () => {
  it('takes every field from the first member with an email, ignoring later ones', () => {
    const { contact, warnings } = selectPrimaryContact([
      member({ firstName: 'Pat', lastName: 'Phone', phoneNumber: '+1' }),
      member({ firstName: 'Kim', lastName: 'Lin', email: 'kim@c.example', phoneNumber: '+2', title: 'CTO' }),
      member({ firstName: 'Lou', lastName: 'Later', email: 'lou@c.example', phoneNumber: '+3' }),
    ]);

    expect(contact).toEqual({
      firstName: 'Kim',
      lastName: 'Lin',
      email: 'kim@c.example',
      phone: '+2',
      jobTitle: 'CTO',
    });
    expect(warnings).toEqual([]);
  });

  it('falls back to the first member when nobody has an email, and says so', () => {
    const { contact, warnings } = selectPrimaryContact([
      member({ firstName: 'Pat', lastName: 'One', phoneNumber: '+1' }),
      member({ firstName: 'Lou', lastName: 'Two', phoneNumber: '+2' }),
    ]);

    expect(contact).toMatchObject({ firstName: 'Pat', lastName: 'One', email: null, phone: '+1' });
    expect(warnings.map((warning) => warning.code)).toEqual(['contact_without_email']);
  });

  it('does not count a value without an @ as an email', () => {
    const { contact, warnings } = selectPrimaryContact([
      member({ lastName: 'Nope', email: 'n/a' }),
      member({ lastName: 'Real', email: ' real@c.example ' }),
    ]);

    expect(contact).toMatchObject({ lastName: 'Real', email: 'real@c.example' });
    expect(warnings).toEqual([]);
  });

  it('leaves out an unusable email of the only member, and says what it was', () => {
    const { contact, warnings } = selectPrimaryContact([member({ lastName: 'Nope', email: 'n/a' })]);

    expect(contact.email).toBeNull();
    expect(warnings).toEqual([
      { code: 'email_invalid', field: 'contact.email', detail: '"n/a" is not an email address' },
    ]);
  });

  it('reports an empty team', () => {
    const { contact, warnings } = selectPrimaryContact([]);

    expect(Object.values(contact).every((value) => value === null)).toBe(true);
    expect(warnings.map((warning) => warning.code)).toEqual(['contact_missing']);
  });

  it('reports a contact without any name', () => {
    const { warnings } = selectPrimaryContact([member({ email: 'x@c.example' })]);

    expect(warnings.map((warning) => warning.code)).toEqual(['contact_name_missing']);
  });
});

describe('splitName', () => {
  it.each([
    ['both parts', 'Alex', 'Rivera', { firstName: 'Alex', lastName: 'Rivera' }],
    ['padded parts', '  Alex ', ' Rivera  ', { firstName: 'Alex', lastName: 'Rivera' }],
    ['a full name in the first-name field', 'Alex  Rivera', null, { firstName: 'Alex', lastName: 'Rivera' }],
    [
      'three names in the first-name field',
      'Mary Ann Smith',
      '',
      { firstName: 'Mary Ann', lastName: 'Smith' },
    ],
    ['a lone first name', 'Cher', null, { firstName: null, lastName: 'Cher' }],
    ['a multi-word last name alone', null, 'van der Berg', { firstName: null, lastName: 'van der Berg' }],
    ['nothing', ' ', null, { firstName: null, lastName: null }],
  ])('splits %s sanely', (_case, first, last, expected) => {
    expect(splitName(first, last)).toEqual(expected);
  });
});
