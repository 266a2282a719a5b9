// tsyringe needs the Reflect metadata API present before any container is used.
import 'reflect-metadata';
